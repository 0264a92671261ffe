/**
 * Wire shapes of the ledger's read API (GET /api/ledger/...), shared by the server, which answers
 * with them, and the apps, which read them. Sizes and indices are decimal strings (they are u64),
 * hashes lower-case hex, entry bytes standard base64.
 */
import { z } from 'zod';

const decimal = z.string().regex(/^(0|[1-9][0-9]{0,19})$/, 'must be a decimal integer with no leading zeroes');
const hexHash = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits');

export const LogName = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,99}$/, 'is not a log name');

export const WitnessPolicy = z.object({
  quorum: z.number().int(),
  witnesses: z.array(z.object({ name: z.string(), verifierKey: z.string(), url: z.string() })),
  isEnforced: z.boolean(),
  warning: z.string().optional(),
});

export const LogSummary = z.object({
  name: z.string(),
  origin: z.string(),
  size: decimal,
  rootHash: hexHash,
  verifierKey: z.string(),
  published: z.object({ size: decimal, rootHash: hexHash, publishedAt: z.string() }).nullable(),
  witnessPolicy: WitnessPolicy,
});
export type LogSummary = z.infer<typeof LogSummary>;

export const LogList = z.object({ logs: z.array(LogSummary.omit({ witnessPolicy: true })), witnessPolicy: WitnessPolicy });
export type LogList = z.infer<typeof LogList>;

export const LogKeys = z.object({ origin: z.string(), log: z.string(), witnessPolicy: WitnessPolicy });
export type LogKeys = z.infer<typeof LogKeys>;

export const EntriesQuery = z.object({ start: decimal, end: decimal.optional() });
export const LedgerEntryView = z.object({ index: decimal, type: z.string(), bytes: z.string(), leafHash: hexHash });
export const EntriesResponse = z.object({ entries: z.array(LedgerEntryView) });
export type EntriesResponse = z.infer<typeof EntriesResponse>;

export const InclusionQuery = z
  .object({ index: decimal.optional(), leafHash: hexHash.optional(), size: decimal.optional() })
  .refine((q) => (q.index === undefined) !== (q.leafHash === undefined), 'give exactly one of index and leafHash');
export const InclusionResponse = z.object({ index: decimal, size: decimal, leafHash: hexHash, proof: z.array(hexHash) });
export type InclusionResponse = z.infer<typeof InclusionResponse>;

export const ConsistencyQuery = z.object({ from: decimal, to: decimal });
export const ConsistencyResponse = z.object({ from: decimal, to: decimal, proof: z.array(hexHash) });
export type ConsistencyResponse = z.infer<typeof ConsistencyResponse>;

export const IndexParam = decimal;

/** Entries per page of GET /entries. */
export const MAX_ENTRIES_PER_PAGE = 1000;
