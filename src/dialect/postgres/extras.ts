import { KilnError } from '../../errors';
import type { EnumUse, OperationOf } from '../../ops/types';
import { lit } from '../../render/literal';
import { pgSpelling } from './column-types';
import { identitySequence, sequenceClause } from '../../schema/sequence';
import { splitQualified, splitTypeName, typeName } from '../../schema/qualified';
import { pgStringLiteral } from './literal';
import type { Column, ColumnDefault } from '../../schema/types';
import { nativeType, quoteIdent as quotePart, sqlString, type ExtrasRender, type NativeTypes } from '../extras-render';

/**
 * A quoted name; a table of another schema (`billing.invoice`, src/schema/qualified.ts) is quoted
 * as `"billing"."invoice"`, as Knex does (no table name of kiln's holds a dot; enum types: quoteType).
 */
function quoteIdent(name: string): string {
  const dot = name.indexOf('.');
  return dot < 0 ? quotePart(name) : `${quotePart(name.slice(0, dot))}.${quotePart(name.slice(dot + 1))}`;
}

/** An enum type's name (src/schema/qualified.ts splitTypeName) quoted: `"shared"."mood"`, `"Odd.Name"`. */
function quoteType(name: string): string {
  const { schema, type } = splitTypeName(name);
  return schema === null ? quotePart(type) : `${quotePart(schema)}.${quotePart(type)}`;
}

const TYPES: NativeTypes = {
  integer: 'integer',
  bigint: 'bigint',
  text: 'text',
  date: 'date',
  time: 'time',
  datetime: 'timestamptz',
  interval: 'interval',
  float: 'double precision',
  boolean: 'boolean',
  json: 'json',
  binary: 'bytea',
};

/** A generated column's type: the short spelling where there is one, else format_type()'s (numeric(12,2), uuid, ...). */
function generatedColumnType(c: Column): string {
  const plain = TYPES[c.type] !== undefined && c.precision === undefined && c.timezone === undefined;
  return plain || c.type === 'string' ? nativeType(c, TYPES, 'PostgreSQL') : pgSpelling(c);
}

/** Knex's PostgreSQL client reads every `?` of a statement as a parameter unless escaped. */
const noParams = (sql: string) => sql.replace(/\?/g, '\\?');

/** `await knex.raw('...');` for a statement already quoted and escaped. */
const raw = (sql: string) => `await knex.raw(${lit(noParams(sql))});`;

const valueList = (values: readonly string[]) => values.map((v) => sqlString(v)).join(', ');

function defaultSql(d: ColumnDefault): string {
  return d.kind === 'literal' ? sqlString(String(d.value)) : d.sql;
}

/** The old type's name during a swap, in the type's own schema (`billing._kiln_old_x`; kept short: a name has 63 bytes). */
const swapName = (name: string) => {
  const { schema, type } = splitTypeName(name);
  return typeName(schema, `_kiln_old_${type}`.slice(0, 63));
};

/**
 * PostgreSQL: enums are named types (CREATE TYPE ... AS ENUM), created before the tables that
 * use them and dropped after; values are added in place (ALTER TYPE ... ADD VALUE ... BEFORE)
 * or the type is swapped (new type, ALTER COLUMN ... TYPE ... USING col::text::type, old
 * type dropped). Generated columns are STORED only (PostgreSQL 15 has no virtual ones).
 */
export const postgresExtras: ExtrasRender = {
  enumType: (c) => quoteType(c.enum?.name ?? ''),
  generatedType(c) {
    const g = c.generated!;
    if (!g.stored) throw new KilnError('MODEL', `column '${c.name}': PostgreSQL has no virtual generated columns`, { hint: 'use computed(expr, { stored: true })' });
    return noParams(`${c.type === 'enum' ? quoteType(c.enum?.name ?? '') : generatedColumnType(c)} GENERATED ALWAYS AS (${g.expression}) STORED`);
  },
  identityType: (c) => `${c.type === 'bigint' || c.type === 'smallint' ? c.type : 'integer'} GENERATED ${c.identity === 'always' ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY${identityClauses(c)}`,
  createEnumType: (op) => raw(`CREATE TYPE ${quoteType(op.name)} AS ENUM (${valueList(op.values)})`),
  dropEnumType: (op) => raw(`DROP TYPE ${quoteType(op.name)}`),
  alterEnumType: (op) => alterEnumType(op).join('\n'),
  alterIdentity: (table, from, to) => retypeEnum(table, from, to) ?? alterIdentity(table, from, to),
  // IF NOT EXISTS: a fresh database may have it from its template; its schema is made if missing.
  // VERSION: the one the database had, so that a fresh one gets the same functions and types.
  createExtension: (op) =>
    [
      ...(op.schema === 'public' ? [] : [`await knex.schema.createSchemaIfNotExists(${lit(op.schema)});`]),
      raw(`CREATE EXTENSION IF NOT EXISTS ${quotePart(op.name)} WITH SCHEMA ${quotePart(op.schema)}${op.version === undefined ? '' : ` VERSION ${pgStringLiteral(op.version)}`} CASCADE`),
    ].join('\n'),
  // No CASCADE: an object of the database's own still using it makes the statement fail, not vanish.
  dropExtension: (op) => raw(`DROP EXTENSION IF EXISTS ${quotePart(op.name)}`),
  commentOn: (op) => raw(`COMMENT ON ${commentTarget(op)} IS ${op.to === undefined ? 'NULL' : pgStringLiteral(op.to)}`),
};

/** `INDEX "billing"."i"` (an index lives in its table's schema) or `CONSTRAINT "c" ON "billing"."t"`. */
function commentTarget(op: OperationOf<'commentOn'>): string {
  if (op.on === 'constraint') return `CONSTRAINT ${quotePart(op.name)} ON ${quoteIdent(op.table)}`;
  const { schema } = splitQualified(op.table);
  return `INDEX ${schema === null ? '' : `${quotePart(schema)}.`}${quotePart(op.name)}`;
}

/** The options that differ from the defaults of a column's identity sequence, in parentheses: ` (START WITH 1000)`. */
function identityClauses(c: Column): string {
  if (!c.identityOptions) return '';
  const s = identitySequence(c.type, c.identityOptions);
  return ` (${IDENTITY_OPTIONS.filter((k) => c.identityOptions![k] !== undefined).map((k) => sequenceClause(s, k)).join(' ')})`;
}

const IDENTITY_OPTIONS = ['increment', 'minValue', 'maxValue', 'start', 'cache', 'cycle'] as const;

/** An enum column moving to another enum type: knex's `USING col::type` has no enum-to-enum cast. */
function retypeEnum(table: string, from: Column, to: Column): string | undefined {
  if (from.type !== 'enum' || to.type !== 'enum' || from.enum?.name === to.enum?.name) return undefined;
  const [t, c, type] = [quoteIdent(table), quoteIdent(to.name), quoteType(to.enum?.name ?? '')];
  return [
    raw(`ALTER TABLE ${t} ALTER COLUMN ${c} DROP DEFAULT`),
    raw(`ALTER TABLE ${t} ALTER COLUMN ${c} TYPE ${type} USING ${c}::text::${type}`),
    raw(`ALTER TABLE ${t} ALTER COLUMN ${c} ${to.nullable ? 'DROP' : 'SET'} NOT NULL`),
    ...(to.default ? [raw(`ALTER TABLE ${t} ALTER COLUMN ${c} SET DEFAULT ${defaultSql(to.default)}`)] : []),
  ].join('\n');
}

/**
 * Renamed values first, in place (RENAME VALUE keeps the rows and the defaults that hold them);
 * then the rest of the change, from the values as renamed, by adding values or by a swap.
 */
function alterEnumType(op: OperationOf<'alterEnumType'>): string[] {
  const renames = op.renamedValues ?? [];
  const map = new Map(renames);
  const type = quoteType(op.name);
  const renamed = renames.map(([o, n]) => raw(`ALTER TYPE ${type} RENAME VALUE ${sqlString(o)} TO ${sqlString(n)}`));
  const rest = { ...op, from: op.from.map((v) => map.get(v) ?? v), columns: op.columns.map((u) => renamedDefault(u, map)) };
  if (JSON.stringify(rest.from) === JSON.stringify(op.to)) return renamed;
  return [...renamed, ...(op.method === 'add' ? addValues(rest) : swapType(rest))];
}

function renamedDefault(use: EnumUse, map: ReadonlyMap<string, string>): EnumUse {
  const value = use.default?.kind === 'literal' ? map.get(String(use.default.value)) : undefined;
  return value === undefined ? use : { ...use, default: { kind: 'literal', value } };
}

function addValues(op: OperationOf<'alterEnumType'>): string[] {
  const type = quoteType(op.name);
  return op.to.flatMap((v, i) => {
    if (op.from.includes(v)) return [];
    const next = op.to.slice(i + 1).find((x) => op.from.includes(x));
    const where = next === undefined ? '' : ` BEFORE ${sqlString(next)}`;
    return [raw(`ALTER TYPE ${type} ADD VALUE ${sqlString(v)}${where}`)];
  });
}

function swapType(op: OperationOf<'alterEnumType'>): string[] {
  const type = quoteType(op.name);
  const old = quoteType(swapName(op.name));
  // RENAME TO takes the bare name: the type stays in its schema.
  const oldBare = quotePart(splitTypeName(swapName(op.name)).type);
  const out = [raw(`ALTER TYPE ${type} RENAME TO ${oldBare}`), raw(`CREATE TYPE ${type} AS ENUM (${valueList(op.to)})`)];
  for (const use of op.columns) {
    const [t, c] = [quoteIdent(use.table), quoteIdent(use.column)];
    if (use.default) out.push(raw(`ALTER TABLE ${t} ALTER COLUMN ${c} DROP DEFAULT`));
    out.push(raw(`ALTER TABLE ${t} ALTER COLUMN ${c} TYPE ${type} USING ${c}::text::${type}`));
    if (use.default) out.push(raw(`ALTER TABLE ${t} ALTER COLUMN ${c} SET DEFAULT ${defaultSql(use.default)}`));
  }
  out.push(raw(`DROP TYPE ${old}`));
  return out;
}

/**
 * Between the two identity kinds: SET GENERATED; a plain key gains one with ADD GENERATED (its
 * sequence set past the rows) and loses it with DROP IDENTITY. A serial (knex `increments`) cannot become an
 * identity column, nor the reverse, in a generated migration: refused, naming the column.
 */
function alterIdentity(table: string, from: Column, to: Column): string | undefined {
  const sameOptions = JSON.stringify(from.identityOptions ?? null) === JSON.stringify(to.identityOptions ?? null);
  if ((from.identity ?? null) === (to.identity ?? null) && sameOptions) return undefined;
  const [t, c] = [quoteIdent(table), quoteIdent(to.name)];
  const kind = to.identity === 'always' ? 'ALWAYS' : 'BY DEFAULT';
  if (from.identity && to.identity) {
    // SET for each option of the whole sequence that differs (one back to its default is set to
    // that default; a start implied by a new MINVALUE too); no RESTART: the sequence goes on from where it is.
    const [a, b] = [identitySequence(from.type, from.identityOptions), identitySequence(to.type, to.identityOptions)];
    const changed = IDENTITY_OPTIONS.filter((k) => a[k] !== b[k]).map((k) => ` SET ${sequenceClause(b, k)}`);
    return raw(`ALTER TABLE ${t} ALTER COLUMN ${c}${from.identity === to.identity ? '' : ` SET GENERATED ${kind}`}${changed.join('')}`);
  }
  // A plain key (no sequence) gains or loses an identity; the new sequence starts after the rows.
  if (to.identity && !from.autoIncrement) {
    const s = identitySequence(to.type, to.identityOptions);
    // Past the rows, and not short of the sequence's own start (`START WITH 1000`); a descending
    // sequence (a negative increment) goes below them.
    const next = BigInt(s.increment) > 0n ? `greatest(coalesce(max(${c}), 0) + 1, ${s.start})` : `least(coalesce(min(${c}), 0) - 1, ${s.start})`;
    return [
      raw(`ALTER TABLE ${t} ALTER COLUMN ${c} ADD GENERATED ${kind} AS IDENTITY${identityClauses(to)}`),
      raw(`SELECT setval(pg_get_serial_sequence(${sqlString(t)}, ${sqlString(to.name)}), ${next}, false) FROM ${t}`),
    ].join('\n');
  }
  // IF EXISTS: a re-run of an online migration whose step already ran finds it gone.
  if (from.identity && !to.autoIncrement) return raw(`ALTER TABLE ${t} ALTER COLUMN ${c} DROP IDENTITY IF EXISTS`);
  throw new KilnError(
    'MODEL',
    `column '${table}.${to.name}': kiln cannot turn ${from.identity ? 'an identity column into a serial' : 'a serial (increments) column into an identity column'} in a generated migration`,
    { hint: 'write that migration by hand (ALTER TABLE ... ALTER COLUMN ... ADD/DROP IDENTITY and the sequence), or keep the column as it is' },
  );
}
