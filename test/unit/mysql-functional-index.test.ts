/**
 * A MySQL 8 functional index (`CREATE INDEX i ON t ((lower(email)))`): STATISTICS reports its
 * expression key part with no COLUMN_NAME. Introspection left such an index out without a word,
 * so a baseline made the table without it. It is now an unmanaged entry that no statement of
 * kiln's recreates: db check lists it, db pull notes it, and re-creating the table (a baseline,
 * a down()) is refused, naming it. This machine and CI have MariaDB only (no functional indexes),
 * so the rows below are the ones MySQL 8.0.13+ returns for that index.
 */
import { KilnError } from '../../src/errors';
import { buildTable, type ColumnRow, type IndexRow } from '../../src/dialect/mysql/introspect';
import { renderOp } from '../../src/render';

const column = (name: string, type: string): ColumnRow => ({
  table_name: 'member',
  column_name: name,
  data_type: type,
  column_type: type === 'varchar' ? 'varchar(200)' : type,
  max_length: type === 'varchar' ? 200 : null,
  is_nullable: 'NO',
  column_default: null,
  extra: name === 'id' ? 'auto_increment' : '',
  generation_expression: null,
  comment: null,
  collation: null,
  table_schema: 'shop',
});

const part = (index: string, columnName: string | null, nonUnique = 1): IndexRow => ({
  table_name: 'member',
  index_name: index,
  non_unique: nonUnique,
  column_name: columnName,
  collation: 'A',
  sub_part: null,
  index_type: 'BTREE',
  comment: '',
});

const member = () =>
  buildTable({ name: 'member', mariadb: false, jsonColumns: new Set(), collation: null }, [column('id', 'int'), column('email', 'varchar')], [
    part('PRIMARY', 'id', 0),
    part('member_email_lower', null, 0),
    // One plain key part and one expression: the whole index is the expression's.
    part('member_id_email', 'id'),
    part('member_id_email', null),
  ], []);

test('a functional index is an unmanaged entry kiln cannot recreate, not left out', () => {
  const t = member();
  expect(t.indexes).toEqual([]);
  expect(t.uniques).toEqual([]);
  expect(t.unmanaged).toEqual([
    { kind: 'functional index', name: 'member_email_lower', sql: '' },
    { kind: 'functional index', name: 'member_id_email', sql: '' },
  ]);
});

test('re-creating the table (a baseline, a down()) is refused, naming the index', () => {
  const render = () => renderOp({ kind: 'createTable', table: member() }, 'mysql');
  expect(render).toThrow(KilnError);
  expect(render).toThrow("table 'member' has functional index member_email_lower, functional index member_id_email, which kiln cannot recreate");
});
