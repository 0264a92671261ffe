import { ENTRY_TYPE_REGISTRY, type EntryBodyInput, type EntryTypeName } from '@townhall/protocol';
import type { EntryBody } from '@townhall/ledger';
import type { AppendEntry } from './ledger-sequencer.ts';

/** A body the writer built that its type's schema refuses: a bug in the server, never written. */
export class EntryBodyRejected extends Error {
  constructor(
    readonly type: EntryTypeName,
    readonly issues: readonly { path: string; message: string }[],
  ) {
    super(`the ${type} entry body does not match its schema: ${issues.map((i) => `${i.path || '(body)'}: ${i.message}`).join('; ')}`);
    this.name = 'EntryBodyRejected';
  }
}

/**
 * Every entry a feature appends is built here, from the one table of entry types
 * (packages/protocol, ENTRY_TYPE_REGISTRY): the body's type is checked by the compiler against the
 * type's schema, and the body itself by the schema before anything is written (a mismatch throws
 * EntryBodyRejected, so the append's transaction writes nothing). The body is appended as given, not
 * as parsed, so what is signed is exactly what the feature built.
 */
export function ledgerEntry<K extends EntryTypeName>(type: K, body: EntryBodyInput<K>): AppendEntry {
  const checked = ENTRY_TYPE_REGISTRY[type].body.safeParse(body);
  if (!checked.success) {
    throw new EntryBodyRejected(
      type,
      checked.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })),
    );
  }
  return { type, body: body as unknown as EntryBody };
}
