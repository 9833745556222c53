/**
 * Names the database keeps across tables, refused by each dialect's projection
 * (src/dialect/<name>/names.ts); the model compiler checks names only within a table.
 * PostgreSQL: index, unique and primary key names per schema; SQLite: index and unique names in
 * the database, whatever the case; MySQL/MariaDB: foreign key names in the database, whatever the case.
 */
import { KilnError } from '../../src/errors';
import { compileModels } from '../../src/model/compile';
import { projectSchema } from '../../src/dialect/project';
import type { DialectName } from '../../src/dialect/types';
import { ForeignKey, Integer, model } from 'kiln';

const id = () => Integer().primaryKey();
const P = model('P', { id: id() });

function errorOf(dialect: DialectName, definitions: unknown[]): KilnError {
  const schema = compileModels(definitions);
  try {
    projectSchema(schema, dialect);
  } catch (e) {
    expect(e).toBeInstanceOf(KilnError);
    expect((e as KilnError).code).toBe('MODEL');
    expect((e as KilnError).message).not.toContain('\n');
    expect((e as KilnError).hint).toBe("rename one of them with an explicit name (the name argument of index()/unique(), or ForeignKey's `name`)");
    return e as KilnError;
  }
  throw new Error(`the ${dialect} projection did not fail`);
}

const projects = (dialect: DialectName, definitions: unknown[]) => expect(() => projectSchema(compileModels(definitions), dialect)).not.toThrow();

const indexes = (a: string, b: string) => [model('A', { id: id(), x: Integer().index(a) }), model('B', { id: id(), y: Integer().index(b) })];
const fks = (a: string, b: string) => [
  P,
  model('A', { id: id(), p: Integer().foreignKey(ForeignKey('p.id', { name: a })) }),
  model('B', { id: id(), p: Integer().foreignKey(ForeignKey('p.id', { name: b })) }),
];
const checks = [model('A', { id: id(), x: Integer().check('x > 0', 'positive') }), model('B', { id: id(), y: Integer().check('y > 0', 'positive') })];

describe('names repeated across tables', () => {
  it('PostgreSQL: an index, a unique or a primary key named like another table\'s, in the same schema', () => {
    expect(errorOf('postgres', indexes('same', 'same')).message).toBe(
      "table 'b' index (y): name 'same' is already used by table 'a' index (x), and PostgreSQL keeps index, unique and primary key names unique per schema",
    );
    const pk = [model('A', { id: Integer() }, { primaryKey: { columns: ['id'], name: 'k' } }), model('B', { id: id(), y: Integer().index('k') })];
    expect(errorOf('postgres', pk).message).toBe(
      "table 'b' index (y): name 'k' is already used by table 'a' primary key (id), and PostgreSQL keeps index, unique and primary key names unique per schema",
    );
  });

  it('PostgreSQL: the same index name in two schemas, the same foreign key or check name on two tables', () => {
    projects('postgres', [model('A', { id: id(), x: Integer().index('same') }, { schema: 'billing' }), model('B', { id: id(), y: Integer().index('same') })]);
    projects('postgres', [model('A', { id: id(), x: Integer().index('same') }, { schema: 'billing' }), model('B', { id: id(), y: Integer().index('same') }, { schema: 'audit' })]);
    expect(errorOf('postgres', [model('A', { id: id(), x: Integer().index('same') }, { schema: 'billing' }), model('B', { id: id(), y: Integer().unique('same') }, { schema: 'billing' })]).message).toBe(
      "table 'billing.b' unique (y): name 'same' is already used by table 'billing.a' index (x), and PostgreSQL keeps index, unique and primary key names unique per schema",
    );
    projects('postgres', fks('fk_p', 'fk_p'));
    projects('postgres', checks);
    // Case matters to PostgreSQL (kiln quotes every name).
    projects('postgres', indexes('Same', 'same'));
  });

  it('SQLite: an index or unique named like another table\'s, whatever the case', () => {
    expect(errorOf('sqlite', indexes('Same', 'same')).message).toBe(
      "table 'b' index (y): name 'same' is already used by table 'a' index (x), and SQLite keeps index and unique names unique in the database",
    );
    expect(errorOf('sqlite', [model('A', { id: id(), x: Integer().unique('u') }), model('B', { id: id(), y: Integer().unique('u') })]).message).toBe(
      "table 'b' unique (y): name 'u' is already used by table 'a' unique (x), and SQLite keeps index and unique names unique in the database",
    );
    projects('sqlite', fks('fk_p', 'fk_p'));
    projects('sqlite', checks);
  });

  it('MySQL/MariaDB: a foreign key named like another table\'s, whatever the case; indexes, uniques and checks are per table', () => {
    expect(errorOf('mysql', fks('FK_P', 'fk_p')).message).toBe(
      "table 'b' foreign key (p): name 'fk_p' is already used by table 'a' foreign key (p), and InnoDB keeps foreign key names unique in the database",
    );
    projects('mysql', indexes('same', 'same'));
    projects('mysql', [model('A', { id: id(), email: Integer().unique('email') }), model('B', { id: id(), email: Integer().unique('email') })]);
    projects('mysql', checks);
  });
});
