import { foreignKeyName, indexName, primaryKeyName, uniqueName } from '../schema/naming';
import { INTEGER_TYPES, NARROW_INTEGERS, type Check, type Column, type Index, type PrimaryKey, type ReferentialAction, type Unique } from '../schema/types';
import { checkAction, checkDefault, checkIdentifier, checkLength, checkTarget, checkType, describe, fail, shown } from './checks';
import { isColumnBuilder } from './column';
import { compileTypeFields } from './compile-types';
import { compileColumnChecks, compileComment, compileIndexOption, compileTableChecks } from './compile-table-extras';
import type { ColumnSpec } from './column';
import type { Definition, IndexOption } from './definition';
import { isForeignKeySpec } from './foreign-key';
import { checkEnumDefault, compileCollation, compileEnum, compileGenerated, compileIdentity, compileIdentityOptions, compileUnsigned, extrasOf } from './compile-extras';

/** A foreign key before its target is checked (and before a relationship's cascade). */
export interface ForeignKeyDraft {
  /** "model 'Book' field 'writer_id'" */
  readonly where: string;
  name: string;
  readonly columns: string[];
  readonly refTable: string;
  readonly refColumns: string[];
  onDelete: ReferentialAction;
  readonly onUpdate: ReferentialAction;
  /** The user said ON DELETE themselves. */
  readonly explicitOnDelete: boolean;
  /** `loose: true` said: the target need not be a key. */
  readonly allowLoose: boolean;
  /** Set by the cross-table check: the target is not a key (ForeignKey.loose). */
  loose: boolean;
  /** `external: true` said: the target is a table kiln does not read (ForeignKey.external). */
  readonly external: boolean;
}

/** One definition compiled on its own; cross-table checks come later. */
export interface TableDraft {
  readonly def: Definition;
  /** "model 'Book'" or "table 'association'" */
  readonly label: string;
  readonly name: string;
  readonly columns: Column[];
  /** field name -> database column name */
  readonly fields: Map<string, string>;
  readonly primaryKey: PrimaryKey | null;
  readonly indexes: Index[];
  readonly uniques: Unique[];
  readonly foreignKeys: ForeignKeyDraft[];
  readonly checks: Check[];
  readonly comment: string | undefined;
}

export function labelOf(def: Definition): string {
  return `${def.kind} ${typeof def.name === 'string' ? shown(def.name) : `'${String(def.name)}'`}`;
}

/** The table's name, `schema.table` when the model names a schema (src/schema/qualified.ts). */
function tableNameOf(def: Definition, label: string): string {
  if (def.schema === undefined) return checkIdentifier(label, 'table name', def.tableName, false, false);
  const schema = checkIdentifier(label, 'schema', def.schema, false, false);
  const table = checkIdentifier(label, 'table name', def.tableName.slice(schema.length + 1), false, false);
  return `${schema}.${table}`;
}

export function compileTable(def: Definition): TableDraft {
  const label = labelOf(def);
  if (def.kind === 'model') checkIdentifier(label, 'model name', def.name, false, false);
  const name = tableNameOf(def, label);
  const columns = typeof def.columns === 'object' && def.columns !== null ? def.columns : {};
  const keys = Object.keys(columns);
  if (keys.length === 0) fail(`${label}: no columns`);

  const fields = new Map<string, string>();
  const specs: [string, ColumnSpec][] = [];
  for (const key of keys) {
    const where = `${label} field ${shown(key)}`;
    const builder: unknown = columns[key];
    if (!isColumnBuilder(builder)) fail(`${where}: not a column (use Integer(), String(), ...)`);
    const column = checkIdentifier(where, 'column name', builder.spec.name ?? key, false, false);
    const other = [...fields].find(([, c]) => c === column);
    if (other) fail(`${where}: column '${column}' is already defined by field '${other[0]}'`);
    fields.set(key, column);
    specs.push([key, builder.spec]);
  }

  const draft: TableDraft = {
    def,
    label,
    name,
    columns: [],
    fields,
    primaryKey: compilePrimaryKey(def, label, name, specs, fields),
    indexes: [],
    uniques: [],
    foreignKeys: [],
    checks: [],
    comment: compileComment(label, def.comment),
  };
  const pk = draft.primaryKey?.columns ?? [];
  for (const [key, spec] of specs) compileColumn(draft, key, spec, pk);
  compileOptionIndexes(draft);
  compileOptionForeignKeys(draft);
  draft.checks.push(...compileTableChecks(label, name, def.checks));
  return draft;
}

function compilePrimaryKey(
  def: Definition,
  label: string,
  table: string,
  specs: [string, ColumnSpec][],
  fields: Map<string, string>,
): PrimaryKey | null {
  const marked = specs.filter(([, s]) => s.primaryKey).map(([key]) => fields.get(key)!);
  const option = def.primaryKey;
  if (option !== null && option !== undefined) {
    if (marked.length > 0) fail(`${label}: primary key given both with .primaryKey() and in options.primaryKey`);
    const list = Array.isArray(option) ? option : (option as { columns: readonly string[] }).columns;
    const given = Array.isArray(option) ? undefined : (option as { name?: string }).name;
    const columns = resolveColumns(`${label} primary key`, fields, list);
    return { name: checkIdentifier(`${label} primary key`, 'name', given ?? primaryKeyName(table), false, false), columns };
  }
  if (marked.length > 0) return { name: checkIdentifier(`${label} primary key`, 'name', primaryKeyName(table), false, false), columns: marked };
  if (def.kind === 'model') {
    fail(`${label}: no primary key`, "mark a column with .primaryKey(), or use table() for a table without one");
  }
  return null;
}

function compileColumn(draft: TableDraft, key: string, spec: ColumnSpec, pk: readonly string[]): void {
  const where = `${draft.label} field '${key}'`;
  const name = draft.fields.get(key)!;
  const type = checkType(where, spec.type);
  const length = checkLength(where, type, spec.length);
  const inKey = pk.includes(name);
  if (inKey && spec.nullable === true) fail(`${where}: a primary key column cannot be nullable`);
  // A lone SmallInteger/TinyInteger/MediumInteger key may auto-increment too, but only when said
  // (autoIncrement() or identity()): unsaid it stays a plain key, as before; a lone
  // Integer/BigInteger key does by default.
  const lone = inKey && pk.length === 1 && INTEGER_TYPES.has(type);
  if (spec.autoIncrement === true && !lone) fail(`${where}: autoIncrement needs a lone Integer, BigInteger, SmallInteger, TinyInteger or MediumInteger primary key`);
  const saidAuto = spec.autoIncrement === true || (spec.autoIncrement !== false && spec.identity !== undefined);
  const autoIncrement = lone && spec.autoIncrement !== false && (!NARROW_INTEGERS.has(type) || saidAuto);
  const dflt = checkDefault(where, type, spec.default);
  if (autoIncrement && dflt !== null) fail(`${where}: an auto-increment primary key cannot have a default`);
  const enumType = compileEnum(where, spec);
  checkEnumDefault(where, enumType?.values, dflt);
  const generated = compileGenerated(where, spec, inKey, dflt !== null);
  const identity = compileIdentity(where, spec, type, lone, dflt !== null);
  const comment = compileComment(where, spec.comment);
  const collation = compileCollation(where, spec, type);
  const unsigned = compileUnsigned(where, spec, type);
  draft.columns.push({
    name,
    type,
    length,
    nullable: inKey || identity !== undefined ? false : (spec.nullable ?? true),
    default: dflt,
    autoIncrement,
    unsigned: unsigned === true,
    ...(unsigned === false ? { signed: true as const } : {}),
    ...compileTypeFields(where, type, spec),
    ...extrasOf({ enum: enumType, generated, identity, identityOptions: identity === undefined ? undefined : compileIdentityOptions(where, spec, type) }),
    ...(comment === undefined ? {} : { comment }),
    ...(collation === undefined ? {} : { collation }),
  });
  draft.checks.push(...compileColumnChecks(where, draft.name, name, spec));

  const givenName = (v: boolean | string) => (typeof v === 'string' ? v : undefined);
  if (spec.unique !== false) {
    // SQLAlchemy: unique=True with index=True is one unique index.
    const n = givenName(spec.unique) ?? givenName(spec.index) ?? uniqueName(draft.name, [name]);
    draft.uniques.push({ name: n, columns: [name] });
  } else if (spec.index !== false) {
    draft.indexes.push({ name: givenName(spec.index) ?? indexName(draft.name, [name]), columns: [name] });
  }

  if (spec.foreignKey !== null) {
    if (!isForeignKeySpec(spec.foreignKey)) fail(`${where}: not a foreign key (use ForeignKey('table.column'))`);
    const fk = spec.foreignKey;
    const [refTable, refColumn] = checkTarget(where, fk.target);
    draft.foreignKeys.push({
      where,
      name: fk.name ?? foreignKeyName(draft.name, [name]),
      columns: [name],
      refTable,
      refColumns: [refColumn],
      onDelete: checkAction(where, 'ON DELETE', fk.onDelete),
      onUpdate: checkAction(where, 'ON UPDATE', fk.onUpdate),
      explicitOnDelete: fk.onDelete !== null,
      allowLoose: checkLoose(where, fk.loose),
      loose: false,
      external: checkFlag(where, 'external', fk.external),
    });
  }
}

function compileOptionIndexes(draft: TableDraft): void {
  const { def, label } = draft;
  if (!Array.isArray(def.indexes) || !Array.isArray(def.uniques)) fail(`${label}: options.indexes and options.uniques must be arrays`);
  for (const option of def.indexes) {
    const compiled = compileIndexOption(label, draft.name, option, (where, list) => resolveColumns(where, draft.fields, list));
    if ('unique' in compiled) draft.uniques.push(compiled.unique);
    else draft.indexes.push(compiled.index);
  }
  for (const option of def.uniques as IndexOption[]) {
    const columns = resolveColumns(`${label} unique`, draft.fields, option?.columns);
    draft.uniques.push({ name: option.name ?? uniqueName(draft.name, columns), columns });
  }
}

/** options.foreignKeys: several columns referencing as many columns of one table. */
function compileOptionForeignKeys(draft: TableDraft): void {
  const { def, label } = draft;
  const list: unknown = def.foreignKeys;
  if (list === undefined) return;
  if (!Array.isArray(list)) fail(`${label}: options.foreignKeys must be an array`);
  list.forEach((option: unknown, n) => {
    const where = `${label} foreign key ${n + 1}`;
    if (typeof option !== 'object' || option === null) fail(`${where}: not an object ({ columns, references })`);
    const o = option as Record<string, unknown>;
    const columns = resolveColumns(where, draft.fields, o.columns);
    if (!Array.isArray(o.references) || o.references.length !== columns.length) {
      fail(`${where}: references must list one 'table.column' for each of its ${columns.length} column(s)`);
    }
    const targets = o.references.map((r: unknown) => checkTarget(where, r));
    const refTable = targets[0][0];
    if (targets.some(([t]) => t !== refTable)) fail(`${where}: references must all be columns of one table`);
    const name = o.name === undefined ? foreignKeyName(draft.name, columns) : o.name;
    if (typeof name !== 'string') fail(`${where}: name must be a string`);
    draft.foreignKeys.push({
      where,
      name,
      columns,
      refTable,
      refColumns: targets.map(([, c]) => c),
      onDelete: checkAction(where, 'ON DELETE', o.onDelete),
      onUpdate: checkAction(where, 'ON UPDATE', o.onUpdate),
      explicitOnDelete: o.onDelete !== undefined,
      allowLoose: checkLoose(where, o.loose ?? false),
      loose: false,
      external: checkFlag(where, 'external', o.external ?? false),
    });
  });
}

function checkFlag(where: string, what: string, value: unknown): boolean {
  if (typeof value !== 'boolean') fail(`${where}: ${what} must be true or false, not ${describe(value)}`);
  return value;
}

function checkLoose(where: string, value: unknown): boolean {
  if (typeof value !== 'boolean') fail(`${where}: loose must be true or false, not ${describe(value)}`);
  return value;
}

/** Field or database names -> database names; non-empty, known, no repeats. */
function resolveColumns(where: string, fields: Map<string, string>, list: unknown): string[] {
  if (!Array.isArray(list) || list.length === 0) fail(`${where}: needs a non-empty list of columns`);
  const known = new Set(fields.values());
  const out: string[] = [];
  for (const item of list) {
    const column = typeof item === 'string' ? (fields.get(item) ?? (known.has(item) ? item : undefined)) : undefined;
    if (column === undefined) fail(`${where}: unknown column ${describe(item)}`);
    if (out.includes(column)) fail(`${where}: column '${column}' listed twice`);
    out.push(column);
  }
  return out;
}
