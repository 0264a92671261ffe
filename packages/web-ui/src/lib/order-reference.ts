/**
 * A repair order's reference as tenants and staff quote it on the phone: the first eight hex digits
 * of its id, in capitals, in two groups (`3F2A-91C0`). The full id is in the ledger entries.
 */
export const orderReference = (orderId: string) => orderId.replaceAll('-', '').slice(0, 8).toUpperCase().replace(/^(.{4})/, '$1-');
