import { makeSchema } from '../../schema/build';
import type { Column, Schema, Table } from '../../schema/types';
import { isInteger, withoutSignedMarks } from '../portable-unsigned';
import { projectMysqlType } from './column-types';
import { refuseIndexOptions, refuseLooseForeignKeys } from '../table-options';
import { projectCollation } from '../project-extras';

/**
 * The model schema as MySQL/MariaDB stores it: Knex's `increments` is `int unsigned`, so a
 * lone auto-increment key (Integer, BigInteger, SmallInteger) is unsigned and every integer
 * foreign key column pointing at an unsigned column is unsigned too, unless the model said
 * `.unsigned(false)` (Column.signed); there is no INTERVAL type, so Interval is stored as TIME;
 * MariaDB reports RESTRICT as NO ACTION (they behave alike there). A TEXT/BLOB/JSON default is
 * kept: MariaDB stores it as written, MySQL 8.0.13+ as a parenthesised expression, which is how
 * the render hooks write it (./render textDefault). The types MySQL lacks or spells its own way:
 * ./column-types.
 */
export function projectMysql(schema: Schema): Schema {
  refuseLooseForeignKeys(schema, 'MySQL/MariaDB');
  refuseIndexOptions(schema, 'MySQL/MariaDB', {
    expression: 'MariaDB has no index on an expression (index a generated column instead)',
    where: 'MySQL and MariaDB have no partial indexes',
    method: 'InnoDB indexes are b-trees',
    include: 'MySQL and MariaDB have no covering INCLUDE columns',
  });
  const keyed = schema.tables.map((t) => ({
    ...t,
    columns: t.columns.map((c) => projectCollation(projectMysqlColumn(projectMysqlType(c, `table '${t.name}' column '${c.name}'`)), (n) => n.toLowerCase(), null)),
    foreignKeys: t.foreignKeys.map((fk) => ({
      ...fk,
      onDelete: fk.onDelete === 'RESTRICT' ? ('NO ACTION' as const) : fk.onDelete,
      onUpdate: fk.onUpdate === 'RESTRICT' ? ('NO ACTION' as const) : fk.onUpdate,
    })),
  }));
  const unsigned = new Set<string>();
  for (const t of keyed) for (const c of t.columns) if (c.unsigned) unsigned.add(`${t.name}.${c.name}`);
  // Foreign keys may chain (a -> b.id -> c.id): repeat until nothing changes.
  let tables: Table[] = keyed;
  for (let changed = true; changed; ) {
    changed = false;
    tables = tables.map((t) => {
      const fkUnsigned = new Set<string>();
      for (const fk of t.foreignKeys) {
        fk.columns.forEach((col, i) => {
          if (unsigned.has(`${fk.refTable}.${fk.refColumns[i]}`)) fkUnsigned.add(col);
        });
      }
      const columns = t.columns.map((c) => {
        if (!fkUnsigned.has(c.name) || c.unsigned || c.signed || !isInteger(c)) return c;
        changed = true;
        unsigned.add(`${t.name}.${c.name}`);
        return { ...c, unsigned: true };
      });
      return { ...t, columns };
    });
  }
  return makeSchema(withoutSignedMarks(tables));
}

function projectMysqlColumn(c: Column): Column {
  if (c.type === 'interval') return { ...c, type: 'time' };
  if (c.autoIncrement && isInteger(c) && !c.signed) return { ...c, unsigned: true };
  return c;
}

/**
 * The integer columns this projection makes unsigned when the model says nothing (`table\0column`),
 * read from a database schema: a lone auto-increment key, and an integer foreign key to an
 * unsigned column of a table in `schema`. `db pull` says `.unsigned()` / `.unsigned(false)`
 * only where the database differs from this.
 */
export function unsignedByDefault(schema: Schema): Set<string> {
  const byName = new Map(schema.tables.map((t) => [t.name, t]));
  const out = new Set<string>();
  for (const t of schema.tables) {
    for (const c of t.columns) if (c.autoIncrement && isInteger(c)) out.add(`${t.name}\0${c.name}`);
    for (const fk of t.foreignKeys) {
      fk.columns.forEach((col, i) => {
        const ref = byName.get(fk.refTable)?.columns.find((c) => c.name === fk.refColumns[i]);
        const own = t.columns.find((c) => c.name === col);
        if (ref?.unsigned && own && isInteger(own)) out.add(`${t.name}\0${col}`);
      });
    }
  }
  return out;
}
