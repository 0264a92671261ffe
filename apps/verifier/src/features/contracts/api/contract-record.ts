import { ContractId } from '@townhall/protocol';

/**
 * A contract record's address (docs/protocol/contracts.md §12.1: public, no session): absolute,
 * because the worker that fetches it may run from a blob: URL.
 */
export function contractRecordUrl(apiBasePath: string, contractId: string, base = globalThis.location?.href ?? 'http://localhost/'): string {
  return new URL(`${apiBasePath}/contracts/${encodeURIComponent(contractId)}/record`, base).href;
}

/** The reference as typed, checked against the protocol's ContractId: the reference, or what is wrong with it in words. */
export function parseContractReference(text: string): { contractId: string } | { error: string } {
  const reference = text.trim();
  if (reference === '') return { error: 'Enter the contract’s reference' };
  if (!ContractId.safeParse(reference).success) return { error: 'Enter a contract reference of up to 64 letters, digits, hyphens (-) and underscores (_), for example keep-repairs' };
  return { contractId: reference };
}
