import type { SqlClient } from '../../src/database/sql-client.ts';

/**
 * Tables a rejected request may change by design, so they are left out of the comparison:
 * - auth_throttle: failed activation attempts must count (that is the lockout);
 * - staff_action: every staff call is audited, refused ones included, with the error code;
 * - ledger_checkpoint, ledger_cosignature: written by the background checkpoint publisher and the
 *   witnesses, whatever the requests do (the ledger's own content is ledger_log and ledger_entry);
 * - rate_limit_counter: every request counts against its client's ceiling, refused ones included.
 */
export const MAY_CHANGE_ON_REJECTION = new Set(['auth_throttle', 'staff_action', 'ledger_checkpoint', 'ledger_cosignature', 'rate_limit_counter']);

/** Per table: row count and a digest of every row's content (so an UPDATE is seen, not only an INSERT). */
export type StateSnapshot = Record<string, string>;

export async function stateQuery(sql: Pick<SqlClient, 'query'>): Promise<string> {
  const tables = await sql.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  const parts = tables
    .map((t) => t.name)
    .filter((name) => !MAY_CHANGE_ON_REJECTION.has(name) && /^[a-z_]+$/.test(name))
    .map((name) => {
      // ledger_log.updated_at moves with checkpoints; its size and hashes are what an append changes.
      const row = name === 'ledger_log' ? `(x.name, x.size, x.root_hash, x.head_hash)::text` : 'x::text';
      return `SELECT '${name}' AS t, count(*)::text || ':' || md5(coalesce(string_agg(${row}, ',' ORDER BY ${row}), '')) AS h FROM "${name}" x`;
    });
  return parts.join(' UNION ALL ');
}

export async function takeSnapshot(sql: Pick<SqlClient, 'query'>, query: string): Promise<StateSnapshot> {
  const rows = await sql.query<{ t: string; h: string }>(query);
  return Object.fromEntries(rows.map((r) => [r.t, r.h]));
}

/** The tables whose content differs between two snapshots. */
export function changedTables(before: StateSnapshot, after: StateSnapshot): string[] {
  return [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((t) => before[t] !== after[t]).sort();
}

/** Row counts only, for the report (`count:digest` → count). */
export function rowCounts(snapshot: StateSnapshot): Record<string, number> {
  return Object.fromEntries(Object.entries(snapshot).map(([t, h]) => [t, Number(h.split(':')[0])]));
}
