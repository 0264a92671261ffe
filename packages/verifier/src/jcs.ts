/**
 * RFC 8785 canonical JSON for the values a ledger entry body may hold (ledger.md §2): objects with
 * keys sorted by UTF-16 code units, arrays, strings, finite numbers, booleans and null. ECMAScript's
 * JSON.stringify already gives the RFC's string escapes and shortest number form.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('JCS: non-finite number');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const keys = Object.keys(value).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  throw new TypeError(`JCS: cannot encode a ${typeof value}`);
}
