import type { Knex } from 'knex';
import { reportActivity } from './activity';

/**
 * kiln/sqlite: the SQLite table rebuild that loses nothing. Generated migrations call it for
 * every change SQLite cannot make in place (column type, nullability, default, dropped column
 * with an index, foreign keys, primary key).
 *
 * Unlike knex's own rebuild (`.alter()`, `dropColumn`, `foreign()` on an existing table), it
 * keeps the table's triggers and its indexes on expressions and partial indexes, keeps the
 * triggers and views that name a renamed column working (SQLite rewrites them), refuses to leave
 * one broken, keeps every row of tables that reference it (no cascade: it refuses to run with
 * foreign keys on), leaves no temporary table behind on failure (it runs inside the
 * migration's transaction) and checks foreign keys before it returns.
 *
 * This module imports nothing at run time but ./activity (a few lines, no imports): it is loaded by every migration that uses it.
 */

export interface RebuildSpec {
  /** The complete new table: columns, primary key, foreign keys (no uniques or indexes). */
  readonly columns: (t: Knex.CreateTableBuilder) => void;
  /** Unique rules and indexes, created once the table has its final name. */
  readonly indexes?: (t: Knex.AlterTableBuilder) => void;
  /** [newColumn, oldColumn] pairs to copy; new columns not listed take their default. */
  readonly copy: ReadonlyArray<readonly [newColumn: string, oldColumn: string]>;
  /**
   * Indexes knex's builder cannot say (partial, on an expression, descending), as
   * `knex.raw(sql, names)` arguments, created after `indexes`. Given by migrations of a kiln
   * that models them: then a descending key is not put back as it was (see restoreCollations).
   */
  readonly rawIndexes?: ReadonlyArray<readonly [sql: string, names: readonly string[]]>;
  /**
   * With rawIndexes: the old table's indexes the new one drops. Every other index of the old
   * table that the new one does not create (one kiln cannot model) is recreated from its SQL.
   */
  readonly dropIndexes?: readonly string[];
  /**
   * Enum values renamed by the copy: [newColumn, oldValue, newValue]; a row holding the old
   * value is copied with the new one (the new table's CHECK allows only the new values).
   */
  readonly values?: ReadonlyArray<readonly [newColumn: string, oldValue: string, newValue: string]>;
}

interface TriggerRow {
  name: string;
  sql: string;
}

export interface FkViolation {
  table: string;
  rowid: number | null;
  parent: string;
}

export const TMP_PREFIX = '_kiln_tmp_';

/**
 * Rebuilds `table` as described by `spec`, keeping its rows, indexes and triggers.
 *
 * Renamed columns (copy pairs whose names differ) are first renamed in place on the old table
 * with SQLite's own ALTER TABLE RENAME COLUMN, which rewrites every trigger, view and index
 * that names them; then the rebuild copies under the new names. Indexes on expressions and
 * partial indexes (which kiln's models cannot say) are recreated from their SQL. Afterwards
 * the whole schema is re-parsed: a trigger or view the change broke fails the rebuild, named.
 */
export async function rebuildTable(knex: Knex, table: string, spec: RebuildSpec): Promise<void> {
  await refuseWithForeignKeysOn(knex, table);
  const legacy = await readLegacyAlterTable(knex);
  if (legacy) await setLegacyAlterTable(knex, false);
  try {
    // A trigger or view broken before the rebuild is not its doing.
    const brokenBefore = await brokenTriggersAndViews(knex, table);
    const copy = await renameInPlace(knex, table, spec.copy);
    await rebuildWithCopy(knex, table, spec, copy);
    const broken = (await brokenTriggersAndViews(knex, table)).filter((e) => !brokenBefore.includes(e));
    if (broken.length) await failSchemaCheck(knex, table, broken);
  } finally {
    if (legacy) await setLegacyAlterTable(knex, true);
  }
}

async function rebuildWithCopy(knex: Knex, table: string, spec: RebuildSpec, copy: RebuildSpec['copy']): Promise<void> {
  const tmp = `${TMP_PREFIX}${table}`;
  const triggers = await rows<TriggerRow>(
    knex.raw("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? COLLATE NOCASE AND sql IS NOT NULL", [table]),
  );
  // A spec with rawIndexes says every index kiln models: any other index of the table is kept.
  const unmodelled = spec.rawIndexes ? await namedIndexes(knex, table) : await unmodelledIndexes(knex, table);
  const shapes = await indexShapes(knex, table);
  const sequence = await readSequence(knex, table);
  // Rows that already broke a foreign key before the rebuild are not its doing.
  const before = (await foreignKeyViolations(knex, table)).length;
  const options = await tableOptions(knex, table);
  await knex.raw('DROP TABLE IF EXISTS ??', [tmp]);
  await createTable(knex, tmp, options, spec.columns);
  await copyRows(knex, table, tmp, copy, spec.values ?? []);
  await knex.raw('DROP TABLE ??', [table]);
  // Legacy mode: the views that name `table` are left as they are (they name it again after this).
  await setLegacyAlterTable(knex, true);
  try {
    await knex.raw('ALTER TABLE ?? RENAME TO ??', [tmp, table]);
  } finally {
    await setLegacyAlterTable(knex, false);
  }
  if (sequence !== null) {
    await knex.raw('UPDATE sqlite_sequence SET seq = ? WHERE name = ? AND seq < ?', [sequence, table, sequence]);
  }
  if (spec.indexes) await knex.schema.alterTable(table, spec.indexes);
  for (const [sql, names] of spec.rawIndexes ?? []) await knex.raw(sql, [...names]);
  await restoreCollations(knex, table, shapes, spec.rawIndexes !== undefined);
  const existing = new Set((await rows<{ name: string }>(knex.raw('SELECT name FROM pragma_index_list(?)', [table]))).map((r) => r.name));
  for (const index of unmodelled) {
    if (spec.dropIndexes?.includes(index.name) || existing.has(index.name)) continue;
    await recreate(knex, table, 'index', index);
  }
  for (const trigger of triggers) await recreate(knex, table, 'trigger', trigger);
  const after = await foreignKeyViolations(knex, table);
  if (after.length > before) {
    const v = after[0];
    throw new Error(
      `kiln rebuildTable('${table}'): foreign key violation after the rebuild: ${after.length - before} new row(s) of ` +
        `'${v.table}' reference missing rows of '${v.parent}' (first rowid ${v.rowid})`,
    );
  }
}

/**
 * `knex.schema.createTable(table, columns)` with SQLite table options (`STRICT`, `WITHOUT ROWID`,
 * as a comma-separated list) after its column list, which knex's builder cannot say. Generated
 * migrations call it to re-create a table that has them; every rebuild keeps the old table's.
 */
export async function createTable(knex: Knex, table: string, options: string, columns: (t: Knex.CreateTableBuilder) => void): Promise<void> {
  if (!/^\s*((STRICT|WITHOUT\s+ROWID)\s*(,\s*|$))*$/i.test(options)) {
    throw new Error(`kiln createTable('${table}'): unknown table options '${options}' (SQLite has STRICT and WITHOUT ROWID)`);
  }
  if (!options.trim()) {
    await knex.schema.createTable(table, columns);
    return;
  }
  const statements = knex.schema.createTable(table, columns).toSQL() as unknown as { sql: string; bindings: readonly unknown[] }[];
  let said = false;
  for (const { sql, bindings } of statements) {
    const create: boolean = !said && /^create table /i.test(sql);
    said ||= create;
    const text = create ? `${sql} ${options.trim()}` : sql;
    await (bindings.length ? knex.raw(text, [...bindings] as Knex.RawBinding[]) : knex.raw(text));
  }
}

/** The table options written after the old table's column list (`STRICT`, `WITHOUT ROWID`), or ''. */
async function tableOptions(knex: Knex, table: string): Promise<string> {
  const [row] = await rows<{ sql: string | null }>(knex.raw("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ? COLLATE NOCASE", [table]));
  const sql = row?.sql ?? '';
  // The column list ends at the last ')': only table options may follow it.
  const tail = sql.slice(sql.lastIndexOf(')') + 1).trim();
  return /^((STRICT|WITHOUT\s+ROWID)\s*(,\s*|$))+$/i.test(tail) ? tail : '';
}

async function readLegacyAlterTable(knex: Knex): Promise<boolean> {
  const [row] = await rows<{ legacy_alter_table: number }>(knex.raw('PRAGMA legacy_alter_table'));
  return Number(row?.legacy_alter_table) === 1;
}

async function setLegacyAlterTable(knex: Knex, on: boolean): Promise<void> {
  await knex.raw(`PRAGMA legacy_alter_table = ${on ? 'ON' : 'OFF'}`);
}

const reason = (e: unknown) => {
  const message = e instanceof Error ? e.message : String(e);
  return /SQLITE_[A-Z_]+: .*/.exec(message)?.[0] ?? message;
};

/**
 * Renames, in place on the old table, each column the copy takes under another name (SQLite
 * rewrites the triggers, views and indexes that name it). Swaps and renames onto the name of a
 * dropped column go through temporary names. Returns the copy pairs under the new names.
 */
async function renameInPlace(knex: Knex, table: string, copy: RebuildSpec['copy']): Promise<RebuildSpec['copy']> {
  const uses = new Map<string, number>();
  for (const [, o] of copy) uses.set(o, (uses.get(o) ?? 0) + 1);
  const renames = copy.filter(([n, o]) => n !== o && uses.get(o) === 1);
  if (!renames.length) return copy;
  const oldColumns = (await rows<{ name: string }>(knex.raw('SELECT name FROM pragma_table_info(?)', [table]))).map((c) => c.name);
  const sources = new Set(renames.map(([, o]) => o));
  const targets = new Set(renames.map(([n]) => n));
  const moves: [from: string, to: string][] = [];
  // An old column in the way of a rename is not copied under its own name (the new table could
  // not hold both): it is moved aside.
  oldColumns.filter((c) => targets.has(c) && !sources.has(c)).forEach((c, i) => moves.push([c, `_kiln_aside_${i}_${c}`]));
  const clash = renames.some(([n]) => sources.has(n));
  if (clash) renames.forEach(([, o], i) => moves.push([o, `_kiln_rename_${i}_${o}`]));
  renames.forEach(([n, o], i) => moves.push([clash ? `_kiln_rename_${i}_${o}` : o, n]));
  for (const [from, to] of moves) {
    try {
      await knex.raw('ALTER TABLE ?? RENAME COLUMN ?? TO ??', [table, from, to]);
    } catch (e) {
      throw new Error(`kiln rebuildTable('${table}'): renaming column '${from}' to '${to}' failed: ${reason(e)}`, { cause: e });
    }
  }
  const renamed = new Set(renames.map(([n]) => n));
  return copy.map(([n, o]) => (renamed.has(n) && uses.get(o) === 1 ? ([n, n] as const) : ([n, o] as const)));
}

/**
 * Indexes kiln's models cannot say (on an expression, or partial: with a WHERE), which the
 * model's `indexes` callback therefore does not recreate: kept from their SQL.
 */
async function unmodelledIndexes(knex: Knex, table: string): Promise<TriggerRow[]> {
  return rows<TriggerRow>(
    knex.raw(
      'SELECT m.name AS name, m.sql AS sql FROM pragma_index_list(?) il JOIN sqlite_master m ' +
        "ON m.type = 'index' AND m.name = il.name WHERE m.sql IS NOT NULL AND (il.partial = 1 OR EXISTS " +
        '(SELECT 1 FROM pragma_index_xinfo(il.name) x WHERE x.key = 1 AND x.cid = -2)) ORDER BY m.name',
      [table],
    ),
  );
}

/** Every index of the table written with CREATE INDEX (not a constraint's own). */
async function namedIndexes(knex: Knex, table: string): Promise<TriggerRow[]> {
  return rows<TriggerRow>(
    knex.raw("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? COLLATE NOCASE AND sql IS NOT NULL ORDER BY name", [table]),
  );
}

interface IndexShape {
  readonly sql: string;
  /** unique flag and key columns, in order */
  readonly keys: string;
  /** the same with each key column's collation and direction */
  readonly full: string;
  /** the same with each key column's collation only */
  readonly collations: string;
}

/** The table's hand-written (named, with SQL) indexes on columns, by name. */
async function indexShapes(knex: Knex, table: string): Promise<Map<string, IndexShape>> {
  const list = await rows<{ name: string; u: number; sql: string; col: string | null; coll: string; d: number }>(
    knex.raw(
      'SELECT il.name AS name, il."unique" AS u, m.sql AS sql, x.name AS col, x.coll AS coll, x."desc" AS d ' +
        "FROM pragma_index_list(?) il JOIN sqlite_master m ON m.type = 'index' AND m.name = il.name " +
        'JOIN pragma_index_xinfo(il.name) x WHERE m.sql IS NOT NULL AND x.key = 1 ORDER BY il.name, x.seqno',
      [table],
    ),
  );
  const out = new Map<string, IndexShape>();
  for (const r of list) {
    const prev = out.get(r.name) ?? { sql: r.sql, keys: `${r.u}`, full: `${r.u}`, collations: `${r.u}` };
    out.set(r.name, {
      sql: r.sql,
      keys: `${prev.keys}\0${r.col}`,
      full: `${prev.full}\0${r.col} ${r.coll} ${r.d}`,
      collations: `${prev.collations}\0${r.col} ${r.coll}`,
    });
  }
  return out;
}

/**
 * kiln's models cannot say a column's COLLATE in an index (nor DESC, before rawIndexes), so the
 * model recreates such an index plainly (a case-blind unique would become case-sensitive): an
 * index recreated on the same columns as before, differing only in those, is put back as it
 * was written. With `orderModelled` (the spec has rawIndexes) only a COLLATE counts.
 */
async function restoreCollations(knex: Knex, table: string, before: ReadonlyMap<string, IndexShape>, orderModelled: boolean): Promise<void> {
  const now = await indexShapes(knex, table);
  for (const [name, old] of before) {
    const current = now.get(name);
    if (!current || current.keys !== old.keys) continue;
    if (orderModelled ? current.collations === old.collations : current.full === old.full) continue;
    await knex.raw('DROP INDEX ??', [name]);
    await recreate(knex, table, 'index', { name, sql: old.sql });
  }
}

async function recreate(knex: Knex, table: string, kind: 'index' | 'trigger', item: TriggerRow): Promise<void> {
  try {
    await knex.raw(item.sql);
  } catch (e) {
    throw new Error(
      `kiln rebuildTable('${table}'): ${kind} '${item.name}' cannot be recreated after the rebuild: ${reason(e)} ` +
        `(drop or rewrite it in this migration before the rebuild)`,
      { cause: e },
    );
  }
}

/**
 * SQLite re-parses every trigger and view of the schema when a column is renamed (outside
 * legacy mode): renaming a column of `table` to its own name, inside a savepoint rolled back
 * at once (the rename would re-quote names in the views' text), says whether a trigger or view
 * no longer works (e.g. it names a dropped column): its error, else null.
 */
async function schemaError(knex: Knex, table: string): Promise<string | null> {
  const first = await firstColumn(knex, table);
  if (first === null) return null;
  await knex.raw('SAVEPOINT kiln_schema_check');
  try {
    await knex.raw('ALTER TABLE ?? RENAME COLUMN ?? TO ??', [table, first, first]);
    return null;
  } catch (e) {
    return reason(e);
  } finally {
    await knex.raw('ROLLBACK TO kiln_schema_check');
    await knex.raw('RELEASE kiln_schema_check');
  }
}

/**
 * Every trigger and view that no longer works, as SQLite's errors: SQLite names only the first
 * one, so inside a savepoint rolled back afterwards each one named is dropped and the check
 * runs again. [] (one check) when all work.
 */
async function brokenTriggersAndViews(knex: Knex, table: string): Promise<string[]> {
  const errors: string[] = [];
  let error = await schemaError(knex, table);
  if (error === null) return errors;
  await knex.raw('SAVEPOINT kiln_broken');
  try {
    while (error !== null && errors.length < 100) {
      errors.push(error);
      const named = /error in (view|trigger) (.+?): /.exec(error);
      if (!named) break;
      try {
        await knex.raw(`DROP ${named[1] === 'view' ? 'VIEW' : 'TRIGGER'} ??`, [named[2]]);
      } catch {
        break;
      }
      error = await schemaError(knex, table);
    }
  } finally {
    await knex.raw('ROLLBACK TO kiln_broken');
    await knex.raw('RELEASE kiln_broken');
  }
  return errors;
}

/** Fails naming them all; the check runs again outside a savepoint, so it is the runner's last statement. */
async function failSchemaCheck(knex: Knex, table: string, broken: readonly string[]): Promise<never> {
  try {
    const column = await firstColumn(knex, table);
    await knex.raw('ALTER TABLE ?? RENAME COLUMN ?? TO ??', [table, column, column]);
  } catch {
    // expected: the message below says why
  }
  const what = broken.length === 1 ? 'a trigger or view no longer works' : `${broken.length} triggers or views no longer work`;
  throw new Error(
    `kiln rebuildTable('${table}'): ${what} after the rebuild: ${broken.join('; ')} ` +
      `(drop or rewrite ${broken.length === 1 ? 'it' : 'them'} in this migration before the rebuild)`,
  );
}

async function firstColumn(knex: Knex, table: string): Promise<string | null> {
  const [first] = await rows<{ name: string }>(knex.raw('SELECT name FROM pragma_table_info(?) ORDER BY cid LIMIT 1', [table]));
  return first?.name ?? null;
}

async function rows<T>(query: PromiseLike<unknown>): Promise<T[]> {
  return (await query) as T[];
}

async function refuseWithForeignKeysOn(knex: Knex, table: string): Promise<void> {
  const [row] = await rows<{ foreign_keys: number }>(knex.raw('PRAGMA foreign_keys'));
  if (row && Number(row.foreign_keys) === 1) {
    throw new Error(
      `kiln rebuildTable('${table}'): foreign keys are ON, so dropping the old table would delete ` +
        `the rows of every table that references it with ON DELETE CASCADE. Run this migration with ` +
        `PRAGMA foreign_keys = OFF set before the transaction begins (kiln db upgrade does this).`,
    );
  }
}

async function copyRows(
  knex: Knex,
  table: string,
  tmp: string,
  copy: RebuildSpec['copy'],
  values: NonNullable<RebuildSpec['values']>,
): Promise<void> {
  if (!copy.length) return;
  const newCols = copy.map(([n]) => n);
  const [selected, selectBindings] = selectList(copy, values);
  try {
    const total = await rowidRowCount(knex, table);
    if (total === null || total < COPY_CHUNK) {
      await knex.raw(`INSERT INTO ?? (??) SELECT ${selected} FROM ??`, [tmp, newCols, ...selectBindings, table]);
      return;
    }
    // A big table is copied in chunks of rowids, so that the upgrade can say how far it got.
    let copied = 0;
    let last: number | null = null as number | null;
    reportActivity({ kind: 'rows', table, copied, total });
    while (copied < total) {
      const after: string = last === null ? '' : ' WHERE rowid > ?';
      const [edge]: ({ id: number } | undefined)[] = await rows<{ id: number }>(knex.raw(`SELECT rowid AS id FROM ??${after} ORDER BY rowid LIMIT 1 OFFSET ?`, [table, ...(last === null ? [] : [last]), COPY_CHUNK - 1]));
      const upTo = edge ? ' AND rowid <= ?' : '';
      const where = last === null ? (edge ? ' WHERE rowid <= ?' : '') : ` WHERE rowid > ?${upTo}`;
      const bindings = [...(last === null ? [] : [last]), ...(edge ? [edge.id] : [])];
      await knex.raw(`INSERT INTO ?? (??) SELECT ${selected} FROM ??${where} ORDER BY rowid`, [tmp, newCols, ...selectBindings, table, ...bindings]);
      copied = edge ? copied + COPY_CHUNK : total;
      last = edge ? Number(edge.id) : last;
      reportActivity({ kind: 'rows', table, copied, total });
    }
  } catch (e) {
    throw new Error(`kiln rebuildTable('${table}'): copying the rows into the new table failed: ${reason(e)}`, { cause: e });
  }
}

/**
 * The copy's select list with its bindings: each old column (`??`), or for a column whose
 * enum values are renamed `CASE ?? WHEN ? THEN ? ... ELSE ?? END`.
 */
function selectList(copy: RebuildSpec['copy'], values: NonNullable<RebuildSpec['values']>): [string, string[]] {
  const parts: string[] = [];
  const bindings: string[] = [];
  for (const [n, o] of copy) {
    const renames = values.filter(([c]) => c === n);
    if (!renames.length) {
      parts.push('??');
      bindings.push(o);
      continue;
    }
    parts.push(`CASE ?? ${renames.map(() => 'WHEN ? THEN ?').join(' ')} ELSE ?? END`);
    bindings.push(o, ...renames.flatMap(([, from, to]) => [from, to]), o);
  }
  return [parts.join(', '), bindings];
}

/** Rows copied per statement when a rebuild copies a big table in rowid ranges. */
const COPY_CHUNK = 50_000;

/** The table's row count, or null for a WITHOUT ROWID table (copied in one statement). */
async function rowidRowCount(knex: Knex, table: string): Promise<number | null> {
  try {
    const [row] = await rows<{ n: number }>(knex.raw('SELECT count(rowid) AS n FROM ??', [table]));
    return Number(row.n);
  } catch {
    return null;
  }
}

/** The AUTOINCREMENT high-water mark, so ids of deleted rows are not reused after the rebuild. */
async function readSequence(knex: Knex, table: string): Promise<number | null> {
  const [exists] = await rows<unknown>(knex.raw("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'"));
  if (!exists) return null;
  const [row] = await rows<{ seq: number }>(knex.raw('SELECT seq FROM sqlite_sequence WHERE name = ?', [table]));
  return row ? Number(row.seq) : null;
}

/** Foreign-key violations in the rebuilt table and in every table that references it. */
async function foreignKeyViolations(knex: Knex, table: string): Promise<FkViolation[]> {
  const children = await rows<{ name: string }>(
    knex.raw(
      "SELECT DISTINCT m.name AS name FROM sqlite_master m, pragma_foreign_key_list(m.name) f " +
        "WHERE m.type = 'table' AND f.\"table\" = ? COLLATE NOCASE",
      [table],
    ),
  );
  const names = [table, ...children.map((c) => c.name).filter((n) => n.toLowerCase() !== table.toLowerCase())];
  const out: FkViolation[] = [];
  for (const name of names) {
    const found = await foreignKeyCheck(knex, name);
    out.push(...(name === table ? found : found.filter((v) => v.parent.toLowerCase() === table.toLowerCase())));
  }
  return out;
}

/**
 * `PRAGMA foreign_key_check`, of one table or of all, that a loose foreign key does not stop.
 * SQLite accepts in CREATE TABLE a foreign key whose target is not a key (columns that are not
 * unique, a column the target table lacks: see kiln's ForeignKey.loose), but then fails the
 * whole pragma with "foreign key mismatch". So, on that error, each table is checked on its own,
 * and the foreign keys of a table that fails are checked one by one: a row breaks one when its
 * columns are all non-null and no row of the target holds the same values; every such row does
 * when the target table or one of its columns is missing, as SQLite reports a missing table.
 * Rows: SQLite's own (table, rowid, parent), rowid null in a WITHOUT ROWID table.
 */
export async function foreignKeyCheck(knex: Knex, table?: string): Promise<FkViolation[]> {
  try {
    return await rows<FkViolation>(table === undefined ? knex.raw('PRAGMA foreign_key_check') : knex.raw('PRAGMA foreign_key_check(??)', [table]));
  } catch (e) {
    if (!isMismatch(e)) throw e;
  }
  const tables =
    table === undefined
      ? (await rows<{ name: string }>(knex.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"))).map((r) => r.name)
      : [table];
  const out: FkViolation[] = [];
  for (const name of tables) {
    try {
      out.push(...(await rows<FkViolation>(knex.raw('PRAGMA foreign_key_check(??)', [name]))));
    } catch (e) {
      if (!isMismatch(e)) throw e;
      out.push(...(await foreignKeysOneByOne(knex, name)));
    }
  }
  return out;
}

const isMismatch = (e: unknown) => /foreign key mismatch/i.test(e instanceof Error ? e.message : String(e));

interface ForeignKeyRow {
  id: number;
  table: string;
  from: string;
  to: string | null;
}

/** The rows of `table` that break each of its foreign keys, checked by a query of its own (see foreignKeyCheck). */
async function foreignKeysOneByOne(knex: Knex, table: string): Promise<FkViolation[]> {
  const list = await rows<ForeignKeyRow>(knex.raw('SELECT id, "table", "from", "to" FROM pragma_foreign_key_list(?) ORDER BY id, seq', [table]));
  const ids = [...new Set(list.map((r) => r.id))];
  const out: FkViolation[] = [];
  for (const id of ids) {
    const parts = list.filter((r) => r.id === id);
    const parent = parts[0].table;
    const parentColumns = await rows<{ name: string; pk: number }>(knex.raw('SELECT name, pk FROM pragma_table_info(?) ORDER BY pk, cid', [parent]));
    const key = parentColumns.filter((c) => c.pk > 0).map((c) => c.name);
    const to = parts.map((r, i) => r.to ?? key[i]);
    const known = new Set(parentColumns.map((c) => c.name.toLowerCase()));
    const matchable = parentColumns.length > 0 && to.every((c) => c !== undefined && known.has(c.toLowerCase()));
    const bindings: string[] = [table];
    let where = parts.map((r) => (bindings.push(r.from), 'c.?? IS NOT NULL')).join(' AND ');
    if (matchable) {
      // The target's columns on the left: the comparison takes their collation, as SQLite's check does.
      where += ` AND NOT EXISTS (SELECT 1 FROM ?? AS p WHERE ${parts.map(() => 'p.?? = c.??').join(' AND ')})`;
      bindings.push(parent, ...parts.flatMap((r, i) => [to[i] as string, r.from]));
    }
    const found = await rowsWithRowid(knex, `FROM ?? AS c WHERE ${where}`, bindings);
    out.push(...found.map((rowid) => ({ table, rowid, parent })));
  }
  return out;
}

/** The rowids of the rows `from` selects (nulls in a WITHOUT ROWID table, which has none). */
async function rowsWithRowid(knex: Knex, from: string, bindings: readonly string[]): Promise<(number | null)[]> {
  try {
    return (await rows<{ id: number }>(knex.raw(`SELECT c.rowid AS id ${from}`, [...bindings]))).map((r) => Number(r.id));
  } catch (e) {
    if (!/no such column: c\.rowid/i.test(e instanceof Error ? e.message : String(e))) throw e;
    return (await rows<{ id: null }>(knex.raw(`SELECT NULL AS id ${from}`, [...bindings]))).map(() => null);
  }
}
