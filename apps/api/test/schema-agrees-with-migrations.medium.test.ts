import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get_dmmf } from '@prisma/prisma-schema-wasm';
import { repoRoot } from '../src/config/config.ts';
import { applyMigrations } from '../src/database/migrations.ts';
import { openSqlClient, type SqlClient } from '../src/database/sql-client.ts';
import { createTestDatabase, type TestDatabase } from './support/test-database.ts';

/**
 * Prisma's own schema engine cannot run here, so this test is the `migrate diff`: it applies every
 * migration to an empty Postgres and checks the resulting catalogue against prisma/schema.prisma as
 * Prisma itself parses it (the DMMF from Prisma's schema WebAssembly module): tables, columns, types,
 * nullability, defaults, primary keys, unique and plain indexes, and foreign keys. Both directions:
 * nothing in the schema is missing from the SQL, and the SQL has nothing the schema does not know.
 */

type DmmfField = {
  name: string;
  dbName?: string | null;
  kind: 'scalar' | 'object' | 'enum';
  type: string;
  isRequired: boolean;
  isList: boolean;
  hasDefaultValue: boolean;
  nativeType?: [string, string[]] | null;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
};
type DmmfModel = { name: string; dbName: string | null; fields: DmmfField[] };
type DmmfIndex = { model: string; type: 'id' | 'unique' | 'normal' | 'fulltext'; dbName?: string | null; fields: { name: string }[] };

const schemaText = readFileSync(resolve(repoRoot, 'prisma/schema.prisma'), 'utf8');
const dmmf = JSON.parse(get_dmmf(JSON.stringify({ prismaSchema: [['schema.prisma', schemaText]] }))) as {
  datamodel: { models: DmmfModel[]; indexes: DmmfIndex[] };
};
const models = dmmf.datamodel.models;
const tableOf = (model: DmmfModel) => model.dbName ?? model.name;
const columnOf = (field: DmmfField) => field.dbName ?? field.name;
const modelByName = new Map(models.map((m) => [m.name, m]));

// Postgres's name for the column type that each Prisma scalar (and native type) maps to.
function expectedType(field: DmmfField): string {
  const native = field.nativeType?.[0];
  const args = field.nativeType?.[1] ?? [];
  if (native === 'Uuid') return 'uuid';
  if (native === 'Date') return 'date';
  if (native === 'Timestamptz') return `timestamptz(${args[0] ?? 6})`;
  if (native === 'VarChar') return `varchar(${args[0]})`;
  if (native === 'SmallInt') return 'int2';
  if (native) throw new Error(`add a mapping for native type ${native}`);
  const byScalar: Record<string, string> = {
    String: 'text', Int: 'int4', BigInt: 'int8', Boolean: 'bool', DateTime: 'timestamp(3)', Bytes: 'bytea', Json: 'jsonb', Float: 'float8',
  };
  const type = byScalar[field.type];
  if (!type) throw new Error(`add a mapping for scalar ${field.type}`);
  return field.isList ? `_${type}` : type;
}

describe('prisma/schema.prisma and prisma/migrations', () => {
  let database: TestDatabase;
  let sql: SqlClient;

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    sql = await openSqlClient(database.config);
    await applyMigrations(sql);
  });
  afterAll(async () => {
    await sql?.close();
    await database?.drop();
  });

  it('define the same tables', async () => {
    const rows = await sql.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'",
    );
    expect(rows.map((r) => r.table_name).sort()).toEqual(models.map(tableOf).sort());
  });

  it('define the same columns, types, nullability and defaults', async () => {
    const rows = await sql.query<{ table_name: string; column_name: string; type: string; not_null: boolean; has_default: boolean }>(`
      SELECT c.relname AS table_name, a.attname AS column_name,
             CASE WHEN t.typname IN ('timestamptz','timestamp','varchar') AND a.atttypmod > 0
                  THEN t.typname || '(' || CASE WHEN t.typname = 'varchar' THEN a.atttypmod - 4 ELSE a.atttypmod END || ')'
                  ELSE t.typname END AS type,
             a.attnotnull AS not_null, a.atthasdef AS has_default
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_type t ON t.oid = a.atttypid
      WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped AND c.relname <> '_prisma_migrations'`);
    const actual = rows.map((r) => `${r.table_name}.${r.column_name}: ${r.type}${r.not_null ? ' not null' : ''}${r.has_default ? ' default' : ''}`).sort();
    const expected = models
      .flatMap((model) =>
        model.fields
          .filter((f) => f.kind !== 'object')
          .map((f) => {
            // uuid() and cuid() defaults are made by the client, so the column has no database default.
            const dbDefault = f.hasDefaultValue && !(f.type === 'String' && f.nativeType?.[0] === 'Uuid');
            return `${tableOf(model)}.${columnOf(f)}: ${expectedType(f)}${f.isRequired ? ' not null' : ''}${dbDefault ? ' default' : ''}`;
          }),
      )
      .sort();
    expect(actual).toEqual(expected);
  });

  it('define the same primary keys, unique and plain indexes', async () => {
    const rows = await sql.query<{ table_name: string; columns: string; is_unique: boolean; is_primary: boolean }>(`
      SELECT t.relname AS table_name, ix.indisunique AS is_unique, ix.indisprimary AS is_primary,
             string_agg(a.attname, ',' ORDER BY k.ord) AS columns
      FROM pg_index ix JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
      CROSS JOIN LATERAL unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ord)
      JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
      WHERE n.nspname = 'public' AND t.relname <> '_prisma_migrations'
      GROUP BY t.relname, ix.indexrelid, ix.indisunique, ix.indisprimary`);
    const actual = rows.map((r) => `${r.table_name}(${r.columns}) ${r.is_primary ? 'id' : r.is_unique ? 'unique' : 'normal'}`).sort();
    const expected = dmmf.datamodel.indexes
      .map((index) => {
        const model = modelByName.get(index.model)!;
        const columns = index.fields.map((f) => columnOf(model.fields.find((field) => field.name === f.name)!));
        return `${tableOf(model)}(${columns.join(',')}) ${index.type}`;
      })
      .sort();
    expect(actual).toEqual(expected);
  });

  it('define the same foreign keys with the same delete rules', async () => {
    const rows = await sql.query<{ from_table: string; from_columns: string; to_table: string; to_columns: string; on_delete: string }>(`
      SELECT c.conrelid::regclass::text AS from_table, c.confrelid::regclass::text AS to_table,
             (SELECT string_agg(attname, ',' ORDER BY k.ord) FROM unnest(c.conkey) WITH ORDINALITY k(n, ord) JOIN pg_attribute ON attrelid = c.conrelid AND attnum = k.n) AS from_columns,
             (SELECT string_agg(attname, ',' ORDER BY k.ord) FROM unnest(c.confkey) WITH ORDINALITY k(n, ord) JOIN pg_attribute ON attrelid = c.confrelid AND attnum = k.n) AS to_columns,
             c.confdeltype AS on_delete
      FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE c.contype = 'f' AND n.nspname = 'public'`);
    const deleteRule: Record<string, string> = { r: 'Restrict', c: 'Cascade', n: 'SetNull', a: 'NoAction', d: 'SetDefault' };
    const actual = rows.map((r) => `${r.from_table.replaceAll('"', '')}(${r.from_columns}) -> ${r.to_table.replaceAll('"', '')}(${r.to_columns}) on delete ${deleteRule[r.on_delete]}`).sort();
    const expected = models
      .flatMap((model) =>
        model.fields
          .filter((f) => f.kind === 'object' && (f.relationFromFields?.length ?? 0) > 0)
          .map((f) => {
            const target = modelByName.get(f.type)!;
            const from = f.relationFromFields!.map((name) => columnOf(model.fields.find((x) => x.name === name)!));
            const to = f.relationToFields!.map((name) => columnOf(target.fields.find((x) => x.name === name)!));
            const onDelete = f.relationOnDelete ?? (f.isRequired ? 'Restrict' : 'SetNull');
            return `${tableOf(model)}(${from.join(',')}) -> ${tableOf(target)}(${to.join(',')}) on delete ${onDelete}`;
          }),
      )
      .sort();
    expect(actual).toEqual(expected);
  });
});
