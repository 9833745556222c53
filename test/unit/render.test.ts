import { transform } from 'sucrase';
import * as kilnMigrate from 'kiln/migrate';
import { KilnError } from '../../src/errors';
import { reverseOp } from '../../src/ops/reverse';
import type { Operation } from '../../src/ops/types';
import { lit, migrationFileName, renderMigration, renderOp } from '../../src/render';
import { column } from '../../src/schema/build';
import { renderGuards } from '../../src/render/guard';
import { changedValueCondition } from '../../src/public/guard';
import type { ForeignKey, Table } from '../../src/schema/types';

const note: Table = {
  name: 'note',
  // unsigned, as MySQL/MariaDB read Knex's `increments` back (and as its projection makes the key).
  columns: [column('id', 'integer', { nullable: false, autoIncrement: true, unsigned: true }), column('body', 'text')],
  primaryKey: { name: 'note_pkey', columns: ['id'] },
  indexes: [],
  uniques: [],
  foreignKeys: [],
};

const fk: ForeignKey = {
  name: 'article_author_id_foreign',
  columns: ['author_id'],
  refTable: 'author',
  refColumns: ['id'],
  onDelete: 'CASCADE',
  onUpdate: 'NO ACTION',
};

const article: Table = {
  name: 'article',
  columns: [
    column('id', 'integer', { nullable: false, autoIncrement: true }),
    column('title', 'string', { length: 50, nullable: false }),
    column('body', 'text'),
    column('author_id', 'integer'),
  ],
  primaryKey: { name: 'article_pkey', columns: ['id'] },
  indexes: [{ name: 'article_title_index', columns: ['title'] }],
  uniques: [{ name: 'article_body_unique', columns: ['body'] }],
  foreignKeys: [fk],
};

const association: Table = {
  name: 'association',
  columns: [column('student_id', 'integer', { nullable: false }), column('teacher_id', 'integer', { nullable: false })],
  primaryKey: { name: 'association_pkey', columns: ['student_id', 'teacher_id'] },
  indexes: [],
  uniques: [],
  foreignKeys: [],
};

describe('renderOp: tables', () => {
  test('createTable with increments, index, unique, foreign key', () => {
    expect(renderOp({ kind: 'createTable', table: article }, 'postgres')).toBe(
      [
        "await knex.schema.createTable('article', (t) => {",
        "  t.increments('id');",
        "  t.string('title', 50).notNullable();",
        "  t.text('body');",
        "  t.integer('author_id');",
        "  t.unique(['body'], { indexName: 'article_body_unique' });",
        "  t.index(['title'], 'article_title_index');",
        "  t.foreign(['author_id'], 'article_author_id_foreign').references(['id']).inTable('author').onDelete('CASCADE');",
        '});',
      ].join('\n'),
    );
  });

  test('createTable with a composite primary key (string constraint name)', () => {
    expect(renderOp({ kind: 'createTable', table: association }, 'sqlite')).toBe(
      [
        "await knex.schema.createTable('association', (t) => {",
        "  t.integer('student_id').notNullable();",
        "  t.integer('teacher_id').notNullable();",
        "  t.primary(['student_id', 'teacher_id'], 'association_pkey');",
        '});',
      ].join('\n'),
    );
  });

  test('bigint auto-increment is bigIncrements', () => {
    const t: Table = { ...note, columns: [column('id', 'bigint', { nullable: false, autoIncrement: true, unsigned: true })] };
    expect(renderOp({ kind: 'createTable', table: t }, 'mysql')).toBe(
      "await knex.schema.createTable('note', (t) => {\n  t.bigIncrements('id');\n});",
    );
  });

  test('a signed auto-increment key is said in full on MySQL (knex increments is unsigned), increments elsewhere', () => {
    const t: Table = { ...note, columns: [column('id', 'bigint', { nullable: false, autoIncrement: true })] };
    expect(renderOp({ kind: 'createTable', table: t }, 'mysql')).toBe(
      "await knex.schema.createTable('note', (t) => {\n  t.specificType('id', 'BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY');\n});",
    );
    expect(renderOp({ kind: 'createTable', table: t }, 'postgres')).toBe("await knex.schema.createTable('note', (t) => {\n  t.bigIncrements('id');\n});");
  });

  test('a SmallInteger auto-increment key: MySQL SMALLINT AUTO_INCREMENT, PostgreSQL smallserial or identity (knex has no smallIncrements)', () => {
    const create = (c: ReturnType<typeof column>, dialect: 'mysql' | 'postgres') => renderOp({ kind: 'createTable', table: { ...note, columns: [c] } }, dialect);
    const unsigned = column('id', 'smallint', { nullable: false, autoIncrement: true, unsigned: true });
    const signed = column('id', 'smallint', { nullable: false, autoIncrement: true });
    expect(create(unsigned, 'mysql')).toBe(
      "await knex.schema.createTable('note', (t) => {\n  t.specificType('id', 'SMALLINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY');\n});",
    );
    expect(create(signed, 'mysql')).toBe("await knex.schema.createTable('note', (t) => {\n  t.specificType('id', 'SMALLINT NOT NULL AUTO_INCREMENT PRIMARY KEY');\n});");
    expect(create(signed, 'postgres')).toBe("await knex.schema.createTable('note', (t) => {\n  t.specificType('id', 'smallserial PRIMARY KEY');\n});");
    expect(create({ ...signed, identity: 'always' }, 'postgres')).toBe(
      "await knex.schema.createTable('note', (t) => {\n  t.specificType('id', 'smallint GENERATED ALWAYS AS IDENTITY').notNullable();\n  t.primary(['id'], 'note_pkey');\n});",
    );
  });

  test('dropTable carries a data-loss comment', () => {
    expect(renderOp({ kind: 'dropTable', table: note }, 'sqlite')).toBe(
      "// kiln: drops table 'note' and all its rows\nawait knex.schema.dropTable('note');",
    );
  });

  test('renameTable', () => {
    expect(renderOp({ kind: 'renameTable', from: 'note', to: 'memo' }, 'mysql')).toBe(
      "await knex.schema.renameTable('note', 'memo');",
    );
  });
});

describe('renderOp: column types per dialect', () => {
  const add = (c: ReturnType<typeof column>, d: 'sqlite' | 'postgres' | 'mysql') =>
    renderOp({ kind: 'addColumn', table: 'x', column: c }, d).split('\n')[1].trim();

  test.each([
    ['integer', 'sqlite', "t.integer('c');"],
    ['bigint', 'sqlite', "t.bigInteger('c');"],
    ['text', 'sqlite', "t.text('c');"],
    ['date', 'sqlite', "t.date('c');"],
    ['time', 'sqlite', "t.time('c');"],
    ['datetime', 'postgres', "t.datetime('c');"],
    ['interval', 'sqlite', "t.specificType('c', 'interval');"],
    ['interval', 'postgres', "t.specificType('c', 'interval');"],
    ['interval', 'mysql', "t.time('c');"],
    ['float', 'mysql', "t.double('c');"],
    ['float', 'postgres', "t.double('c');"],
    ['boolean', 'mysql', "t.boolean('c');"],
    ['json', 'postgres', "t.json('c');"],
    ['binary', 'sqlite', "t.binary('c');"],
  ] as const)('%s on %s', (type, dialect, expected) => {
    expect(add(column('c', type), dialect)).toBe(expected);
  });

  test('string with length, unsigned (ignored by knex off MySQL), not null, defaults', () => {
    expect(add(column('c', 'string', { length: 70, nullable: false, default: { kind: 'literal', value: "it's" } }), 'postgres')).toBe(
      "t.string('c', 70).notNullable().defaultTo('it\\'s');",
    );
    expect(add(column('c', 'integer', { unsigned: true, default: { kind: 'literal', value: 0 } }), 'mysql')).toBe(
      "t.integer('c').unsigned().defaultTo(0);",
    );
    expect(add(column('c', 'integer', { unsigned: true }), 'postgres')).toBe("t.integer('c').unsigned();");
    expect(add(column('c', 'boolean', { default: { kind: 'literal', value: false } }), 'sqlite')).toBe(
      "t.boolean('c').defaultTo(false);",
    );
    expect(add(column('c', 'datetime', { default: { kind: 'expression', sql: 'CURRENT_TIMESTAMP' } }), 'mysql')).toBe(
      "t.datetime('c').defaultTo(knex.raw('CURRENT_TIMESTAMP'));",
    );
    // SQLite and MySQL take an expression default only in parentheses.
    expect(add(column('c', 'integer', { default: { kind: 'expression', sql: '1 + 2' } }), 'sqlite')).toBe(
      "t.integer('c').defaultTo(knex.raw('(1 + 2)'));",
    );
  });

  test('TEXT/BLOB/JSON defaults on MySQL: the type through specificType, the default in parentheses', () => {
    const lit = (value: string) => ({ kind: 'literal' as const, value });
    expect(add(column('c', 'text', { nullable: false, default: lit("it's \\ ?") }), 'mysql')).toBe(
      "t.specificType('c', 'text').notNullable().defaultTo(knex.raw('(?)', ['it\\'s \\\\ ?']));",
    );
    expect(add(column('c', 'json', { default: lit('{}') }), 'mysql')).toBe("t.specificType('c', 'json').defaultTo(knex.raw('(?)', ['{}']));");
    expect(add(column('c', 'binary', { default: lit('x') }), 'mysql')).toBe("t.specificType('c', 'blob').defaultTo(knex.raw('(?)', ['x']));");
    expect(add(column('c', 'text', { default: { kind: 'expression', sql: "concat('a', 'b')" } }), 'mysql')).toBe(
      "t.specificType('c', 'text').defaultTo(knex.raw('(concat(\\'a\\', \\'b\\'))'));",
    );
    // With a collation and a comment; without a default, knex's own calls.
    expect(add(column('c', 'text', { default: lit('x'), collation: 'utf8mb4_bin', comment: 'c' }), 'mysql')).toBe(
      "t.specificType('c', 'text').collate('utf8mb4_bin').defaultTo(knex.raw('(?)', ['x'])).comment('c');",
    );
    expect(add(column('c', 'text'), 'mysql')).toBe("t.text('c');");
    expect(add(column('c', 'binary', { length: 4, default: lit('x') }), 'mysql')).toBe("t.specificType('c', 'binary(4)').defaultTo('x');");
    // The other databases take knex's calls.
    expect(add(column('c', 'text', { default: lit('x') }), 'postgres')).toBe("t.text('c').defaultTo('x');");
    expect(add(column('c', 'json', { default: lit('{}') }), 'sqlite')).toBe("t.json('c').defaultTo('{}');");
  });

  test('TEXT/BLOB/JSON defaults on MySQL: the default added, changed and removed (up and down)', () => {
    const from = column('c', 'text', { nullable: false });
    const to = column('c', 'text', { nullable: false, default: { kind: 'literal', value: 'x' } });
    const alter = (a: typeof from, b: typeof from) => renderOp({ kind: 'alterColumn', table: 'x', from: a, to: b }, 'mysql').split('\n').find((l) => l.startsWith('  t.'))?.trim();
    expect(alter(from, to)).toBe("t.specificType('c', 'text').notNullable().defaultTo(knex.raw('(?)', ['x'])).alter({ alterNullable: false });");
    expect(alter(to, from)).toBe("t.text('c').notNullable().alter({ alterNullable: false });");
    const str = column('c', 'string', { length: 20, nullable: false, default: { kind: 'literal', value: 'x' } });
    expect(alter(str, to)).toBe("t.specificType('c', 'text').notNullable().defaultTo(knex.raw('(?)', ['x'])).alter({ alterNullable: false });");
    expect(alter(to, str)).toBe("t.string('c', 20).notNullable().defaultTo('x').alter({ alterNullable: false });");
  });
});

describe('renderOp: columns', () => {
  const body = column('body', 'text');
  test('addColumn', () => {
    expect(renderOp({ kind: 'addColumn', table: 'note', column: body }, 'sqlite')).toBe(
      "await knex.schema.alterTable('note', (t) => {\n  t.text('body');\n});",
    );
  });

  test('dropColumn: knex on postgres/mysql, native DROP COLUMN on sqlite', () => {
    const op: Operation = { kind: 'dropColumn', table: 'note', column: body };
    expect(renderOp(op, 'postgres')).toBe(
      "// kiln: drops column 'note.body' and its data\nawait knex.schema.alterTable('note', (t) => {\n  t.dropColumn('body');\n});",
    );
    expect(renderOp(op, 'sqlite')).toBe(
      "// kiln: drops column 'note.body' and its data\nawait knex.raw('ALTER TABLE ?? DROP COLUMN ??', ['note', 'body']);",
    );
  });

  test('renameColumn', () => {
    const op: Operation = { kind: 'renameColumn', table: 'post', from: 'title', to: 'headline' };
    expect(renderOp(op, 'postgres')).toBe("await knex.schema.alterTable('post', (t) => {\n  t.renameColumn('title', 'headline');\n});");
    expect(renderOp(op, 'mysql')).toBe("await knex.raw('ALTER TABLE ?? RENAME COLUMN ?? TO ??', ['post', 'title', 'headline']);");
  });

  test('alterColumn restates the column with .alter()', () => {
    const from = column('name', 'string', { length: 70 });
    const to = column('name', 'string', { length: 100, nullable: false, default: { kind: 'literal', value: 'x' } });
    expect(renderOp({ kind: 'alterColumn', table: 'author', from, to }, 'postgres')).toBe(
      "await knex.schema.alterTable('author', (t) => {\n  t.string('name', 100).notNullable().defaultTo('x').alter();\n});",
    );
    expect(renderOp({ kind: 'alterColumn', table: 'author', from: to, to: from }, 'mysql')).toBe(
      "// kiln: narrows column 'author.name' (string(100) -> string(70)): values may be truncated or fail to convert\n" +
        "await knex.schema.alterTable('author', (t) => {\n  t.string('name', 70).nullable().alter();\n});",
    );
  });

  test('alterColumn that keeps nullability leaves NOT NULL alone (PostgreSQL refuses DROP NOT NULL on a key column)', () => {
    const from = column('code', 'string', { length: 10, nullable: false });
    const to = column('code', 'string', { length: 20, nullable: false });
    expect(renderOp({ kind: 'alterColumn', table: 'tag', from, to }, 'postgres')).toBe(
      "await knex.schema.alterTable('tag', (t) => {\n  t.string('code', 20).notNullable().alter({ alterNullable: false });\n});",
    );
  });

  test('alterColumn of an auto-increment column goes through knex.raw', () => {
    const from = column('id', 'integer', { nullable: false, autoIncrement: true, unsigned: true });
    const to = column('id', 'bigint', { nullable: false, autoIncrement: true, unsigned: true });
    expect(renderOp({ kind: 'alterColumn', table: 'note', from, to }, 'mysql')).toBe(
      "await knex.raw('ALTER TABLE ?? MODIFY ?? BIGINT UNSIGNED NOT NULL AUTO_INCREMENT', ['note', 'id']);",
    );
    expect(renderOp({ kind: 'alterColumn', table: 'note', from, to }, 'postgres')).toBe(
      "// kiln: the serial's sequence keeps its own type (ALTER SEQUENCE ... AS bigint if needed)\n" +
        "await knex.raw('ALTER TABLE ?? ALTER COLUMN ?? TYPE bigint', ['note', 'id']);",
    );
  });

  test('alterColumn of a SmallInteger auto-increment key keeps its type', () => {
    const signed = column('id', 'smallint', { nullable: false, autoIncrement: true });
    const unsigned = { ...signed, unsigned: true };
    expect(renderOp({ kind: 'alterColumn', table: 'note', from: signed, to: unsigned }, 'mysql')).toBe(
      "await knex.raw('ALTER TABLE ?? MODIFY ?? SMALLINT UNSIGNED NOT NULL AUTO_INCREMENT', ['note', 'id']);",
    );
    expect(renderOp({ kind: 'alterColumn', table: 'note', from: unsigned, to: signed }, 'mysql')).toBe(
      "await knex.raw('ALTER TABLE ?? MODIFY ?? SMALLINT NOT NULL AUTO_INCREMENT', ['note', 'id']);",
    );
    // Widened to integer on PostgreSQL: the smallserial's sequence stays AS smallint.
    const int = column('id', 'integer', { nullable: false, autoIncrement: true });
    expect(renderOp({ kind: 'alterColumn', table: 'note', from: signed, to: int }, 'postgres')).toBe(
      "// kiln: the serial's sequence keeps its own type (ALTER SEQUENCE ... AS integer if needed)\n" +
        "await knex.raw('ALTER TABLE ?? ALTER COLUMN ?? TYPE integer', ['note', 'id']);",
    );
    expect(renderOp({ kind: 'alterColumn', table: 'note', from: int, to: signed }, 'postgres')).toContain(
      "await knex.raw('ALTER TABLE ?? ALTER COLUMN ?? TYPE smallint', ['note', 'id']);",
    );
  });

  test('alterColumn never reaches sqlite', () => {
    const c = column('a', 'text');
    expect(() => renderOp({ kind: 'alterColumn', table: 't', from: c, to: c }, 'sqlite')).toThrow(/rebuildTable/);
  });
});

describe('renderOp: indexes and constraints', () => {
  const index = { name: 'article_title_index', columns: ['title'] };
  const unique = { name: 'author_name_unique', columns: ['name'] };
  test('add/drop index', () => {
    expect(renderOp({ kind: 'addIndex', table: 'article', index }, 'sqlite')).toBe(
      "await knex.schema.alterTable('article', (t) => {\n  t.index(['title'], 'article_title_index');\n});",
    );
    expect(renderOp({ kind: 'dropIndex', table: 'article', index }, 'postgres')).toBe(
      "await knex.schema.alterTable('article', (t) => {\n  t.dropIndex(['title'], 'article_title_index');\n});",
    );
  });

  test('add/drop unique', () => {
    expect(renderOp({ kind: 'addUnique', table: 'author', unique }, 'mysql')).toBe(
      "await knex.schema.alterTable('author', (t) => {\n  t.unique(['name'], { indexName: 'author_name_unique' });\n});",
    );
    expect(renderOp({ kind: 'dropUnique', table: 'author', unique }, 'sqlite')).toBe(
      "await knex.schema.alterTable('author', (t) => {\n  t.dropUnique(['name'], 'author_name_unique');\n});",
    );
  });

  test('add/drop foreign key with actions', () => {
    const full: ForeignKey = { ...fk, onUpdate: 'SET NULL' };
    expect(renderOp({ kind: 'addForeignKey', table: 'article', foreignKey: full }, 'postgres')).toBe(
      "await knex.schema.alterTable('article', (t) => {\n" +
        "  t.foreign(['author_id'], 'article_author_id_foreign').references(['id']).inTable('author').onDelete('CASCADE').onUpdate('SET NULL');\n});",
    );
    expect(renderOp({ kind: 'dropForeignKey', table: 'article', foreignKey: fk }, 'mysql')).toBe(
      "await knex.schema.alterTable('article', (t) => {\n  t.dropForeign(['author_id'], 'article_author_id_foreign');\n});",
    );
    expect(() => renderOp({ kind: 'addForeignKey', table: 'article', foreignKey: fk }, 'sqlite')).toThrow(/rebuildTable/);
  });

  test('alterPrimaryKey', () => {
    const op: Operation = {
      kind: 'alterPrimaryKey',
      table: 'association',
      from: { name: 'association_pkey', columns: ['student_id'] },
      to: { name: 'association_pkey', columns: ['student_id', 'teacher_id'] },
    };
    expect(renderOp(op, 'postgres')).toBe(
      "await knex.schema.alterTable('association', (t) => {\n" +
        "  t.dropPrimary('association_pkey');\n  t.primary(['student_id', 'teacher_id'], 'association_pkey');\n});",
    );
    expect(renderOp({ ...op, from: null }, 'mysql')).toBe(
      "await knex.schema.alterTable('association', (t) => {\n  t.primary(['student_id', 'teacher_id'], 'association_pkey');\n});",
    );
  });
});

describe('renderOp: rebuildTable (sqlite)', () => {
  const from: Table = {
    name: 'post',
    columns: [column('id', 'integer', { nullable: false, autoIncrement: true }), column('title', 'string', { length: 50 }), column('old', 'text')],
    primaryKey: { name: 'post_pkey', columns: ['id'] },
    indexes: [],
    uniques: [{ name: 'post_title_unique', columns: ['title'] }],
    foreignKeys: [],
  };
  const to: Table = {
    ...from,
    columns: [
      column('id', 'integer', { nullable: false, autoIncrement: true }),
      column('headline', 'string', { length: 50, nullable: false }),
      column('rank', 'integer', { nullable: false }),
    ],
    uniques: [{ name: 'post_headline_unique', columns: ['headline'] }],
  };

  test('one helper call with columns, indexes and copy pairs', () => {
    const op: Operation = { kind: 'rebuildTable', from, to, renamed: [['title', 'headline']] };
    expect(renderOp(op, 'sqlite')).toBe(
      [
        "// kiln: drops column(s) 'post.old' and their data",
        "// kiln: rebuilds table 'post' (SQLite cannot alter it in place): column 'title' renamed to 'headline'; added column 'rank'; dropped column 'old'; column 'headline': now NOT NULL; added unique 'post_headline_unique'; removed unique 'post_title_unique'",
        '// kiln: its rows, indexes and triggers, and the rows of tables that reference it, are kept',
        "// kiln: new column 'rank' is NOT NULL with no default and nothing to copy from: the copy fails if 'post' has rows; give it a default (.defaultTo(...)) or make it nullable",
        "await rebuildTable(knex, 'post', {",
        '  columns: (t) => {',
        "    t.increments('id');",
        "    t.string('headline', 50).notNullable();",
        "    t.integer('rank').notNullable();",
        '  },',
        '  indexes: (t) => {',
        "    t.unique(['headline'], { indexName: 'post_headline_unique' });",
        '  },',
        '  copy: [',
        "    ['id', 'id'],",
        "    ['headline', 'title'],",
        '  ],',
        '});',
      ].join('\n'),
    );
  });

  test('the reverse rebuild copies back through the rename', () => {
    const op = reverseOp({ kind: 'rebuildTable', from, to, renamed: [['title', 'headline']] });
    expect(renderOp(op, 'sqlite')).toContain("  copy: [\n    ['id', 'id'],\n    ['title', 'headline'],\n  ],");
  });
});

describe('lit: escaping', () => {
  test.each([
    ['plain', "'plain'"],
    ["it's", "'it\\'s'"],
    ['back\\slash', "'back\\\\slash'"],
    ['line\nbreak\r', "'line\\nbreak\\r'"],
    ['${x}', "'\\${x}'"],
    ['\u2028\u2029\u0000\u007f', "'\\u2028\\u2029\\u0000\\u007f'"],
    ['大连 é 😀', "'大连 é 😀'"],
    ['\ud800', "'\\ud800'"],
  ])('%j', (input, expected) => {
    expect(lit(input)).toBe(expected);
    expect(eval(lit(input))).toBe(input);
  });
});

/** Evaluates a rendered migration (sucrase, as kiln's loader does) and records knex calls. */
function loadMigration(src: string): { up: (k: unknown) => Promise<void>; down: (k: unknown) => Promise<void> } {
  const { code } = transform(src, { transforms: ['typescript', 'imports'] });
  const mod: { exports: Record<string, unknown> } = { exports: {} };
  const req = (id: string) => {
    if (id === 'kiln/sqlite') return { rebuildTable: async () => undefined };
    if (id === 'kiln/migrate') return kilnMigrate;
    throw new Error(`unexpected require ${id}`);
  };
  new Function('require', 'module', 'exports', code)(req, mod, mod.exports);
  return mod.exports as never;
}

/** A fake knex that records every name the migration hands to the schema builder. */
function recorder(): { knex: unknown; names: string[] } {
  const names: string[] = [];
  const chain: unknown = new Proxy(function () {}, {
    get: (_t, key) => (key === 'then' ? undefined : chain),
    apply: (_t, _this, args: unknown[]) => {
      for (const a of args.flat()) if (typeof a === 'string') names.push(a);
      for (const a of args) if (a && typeof a === 'object' && 'indexName' in a) names.push((a as { indexName: string }).indexName);
      for (const a of args) if (typeof a === 'function') (a as (t: unknown) => void)(chain);
      return chain;
    },
  });
  const knex = { schema: chain, raw: (...a: unknown[]) => (chain as (...x: unknown[]) => unknown)(...a) };
  return { knex, names };
}

describe('nasty names survive the round trip through a rendered file', () => {
  const nasty = ["q'uote", 'back\\slash', 'back`tick', '${process.exit(1)}', 'new\nline', '*/ end', '\u2028sep', 'ünï 大连', "');process.exit(1);('"];
  const table: Table = {
    name: nasty[0],
    columns: nasty.map((n, i) =>
      column(n, 'string', { length: 20 + i, default: { kind: 'literal', value: nasty[(i + 1) % nasty.length] } }),
    ),
    primaryKey: { name: nasty[3], columns: [nasty[1]] },
    indexes: [{ name: nasty[4], columns: [nasty[5]] }],
    uniques: [{ name: nasty[6], columns: [nasty[7]] }],
    foreignKeys: [{ ...fk, name: nasty[8], columns: [nasty[2]], refTable: nasty[4], refColumns: [nasty[6]] }],
  };

  test.each(['sqlite', 'postgres', 'mysql'] as const)('%s', async (dialect) => {
    const src = renderMigration({
      message: 'nasty */ message\n${x}',
      revision: '20240101000000_nasty',
      createdAt: new Date(Date.UTC(2024, 0, 1)),
      dialect,
      up: [{ kind: 'createTable', table }],
      down: [{ kind: 'dropTable', table }],
    });
    const m = loadMigration(src);
    const { knex, names } = recorder();
    await m.up(knex);
    for (const n of nasty) expect(names).toContain(n);
    const down = recorder();
    await m.down(down.knex);
    expect(down.names).toEqual([nasty[0]]);
  });
});

describe('renderMigration', () => {
  const createdAt = new Date(Date.UTC(2024, 4, 6, 7, 8, 9));
  test('full file', () => {
    const up: Operation[] = [{ kind: 'createTable', table: note }];
    expect(renderMigration({ message: 'add note', revision: '20240506070809_add_note', createdAt, dialect: 'sqlite', up, down: up.map(reverseOp) })).toBe(
      [
        '/**',
        ' * add note',
        ' *',
        ' * Revision: 20240506070809_add_note',
        ' * Created: 2024-05-06T07:08:09.000Z',
        ' * Generated by kiln db migrate: please review and adjust.',
        ' */',
        '',
        "import type { Knex } from 'knex';",
        '',
        'export async function up(knex: Knex): Promise<void> {',
        '  // ### commands auto generated by kiln - please adjust! ###',
        "  await knex.schema.createTable('note', (t) => {",
        "    t.increments('id');",
        "    t.text('body');",
        '  });',
        '  // ### end kiln commands ###',
        '}',
        '',
        'export async function down(knex: Knex): Promise<void> {',
        '  // ### commands auto generated by kiln - please adjust! ###',
        "  // kiln: drops table 'note' and all its rows",
        "  await knex.schema.dropTable('note');",
        '  // ### end kiln commands ###',
        '}',
        '',
      ].join('\n'),
    );
  });

  test('empty revision, comment-closing message, rebuild import only when used', () => {
    const src = renderMigration({ message: 'a */ b\nsecond', revision: 'r', createdAt, dialect: 'sqlite', up: [], down: [] });
    expect(src).toContain(' * a *\\/ b\n * second\n');
    expect(src).toContain('export async function up(knex: Knex): Promise<void> {\n  // kiln: nothing to do\n}');
    expect(src).not.toContain('kiln/sqlite');
    expect(() => loadMigration(src)).not.toThrow();
    const rebuild: Operation = { kind: 'rebuildTable', from: note, to: note, renamed: [] };
    expect(renderMigration({ message: 'm', revision: 'r', createdAt, dialect: 'sqlite', up: [rebuild], down: [] })).toContain(
      "import { rebuildTable } from 'kiln/sqlite';",
    );
  });
});

describe('renderMigration: MySQL runs several ops as undoable steps', () => {
  const createdAt = new Date(Date.UTC(2024, 4, 6, 7, 8, 9));
  const title = column('title', 'string', { length: 20 });
  const up: Operation[] = [
    { kind: 'createTable', table: note },
    { kind: 'addColumn', table: 'article', column: title },
  ];
  const render = (dialect: 'sqlite' | 'postgres' | 'mysql', ops: Operation[]) =>
    renderMigration({ message: 'm', revision: 'r', createdAt, dialect, up: ops, down: [...ops].reverse().map(reverseOp) });

  test('each op is a step paired with its exact reverse; a step that drops data says so in `loses` and in the `// kiln:` line above it', () => {
    const src = render('mysql', up);
    expect(src).toContain("import type { Knex } from 'knex';\nimport { steps } from 'kiln/migrate';\n");
    const body = (name: string) => src.slice(src.indexOf(`export async function ${name}`)).split('\n}\n')[0];
    expect(body('up')).toBe(
      [
        'export async function up(knex: Knex): Promise<void> {',
        '  // ### commands auto generated by kiln - please adjust! ###',
        '  // MySQL commits each DDL statement: if a step fails, the undo of each completed step runs.',
        '  await steps(knex, [',
        '    {',
        '      run: async () => {',
        "        await knex.schema.createTable('note', (t) => {",
        "          t.increments('id');",
        "          t.text('body');",
        '        });',
        '      },',
        '      undo: async () => {',
        "        await knex.schema.dropTable('note');",
        '      },',
        '    },',
        '    {',
        '      run: async () => {',
        "        await knex.schema.alterTable('article', (t) => {",
        "          t.string('title', 20);",
        '        });',
        '      },',
        '      undo: async () => {',
        "        await knex.schema.alterTable('article', (t) => {",
        "          t.dropColumn('title');",
        '        });',
        '      },',
        '    },',
        '  ]);',
        '  // ### end kiln commands ###',
      ].join('\n'),
    );
    expect(body('down')).toContain(
      [
        "    // kiln: drops column 'article.title' and its data",
        '    {',
        "      loses: 'drops column \\'article.title\\' and its data',",
        '      run: async () => {',
        "        await knex.schema.alterTable('article', (t) => {",
        "          t.dropColumn('title');",
        '        });',
        '      },',
      ].join('\n'),
    );
    expect(body('down')).toContain("      loses: 'drops table \\'note\\' and all its rows',\n");
  });

  test('one op on MySQL, and any number on PostgreSQL and SQLite, render as plain statements', () => {
    for (const src of [render('mysql', up.slice(0, 1)), render('postgres', up), render('sqlite', up)]) {
      expect(src).not.toContain('kiln/migrate');
      expect(src).not.toContain('steps(');
    }
    expect(render('mysql', up.slice(0, 1))).toBe(render('postgres', up.slice(0, 1)));
  });

  test('the steps run in order (up) and reversed (down)', async () => {
    const m = loadMigration(render('mysql', up));
    const { knex, names } = recorder();
    await m.up(knex);
    expect(names).toEqual(['note', 'id', 'body', 'article', 'title']);
    const down = recorder();
    await m.down(down.knex);
    expect(down.names).toEqual(['article', 'title', 'note']);
  });
});

describe('migrationFileName', () => {
  const at = new Date(Date.UTC(2024, 4, 6, 7, 8, 9));
  test('timestamp and slug', () => {
    expect(migrationFileName(at, 'Add column: teacher.son!', [])).toBe('20240506070809_add_column_teacher_son.ts');
    expect(migrationFileName(at, 'x'.repeat(60), [])).toBe(`20240506070809_${'x'.repeat(40)}.ts`);
    expect(migrationFileName(at, '添加 城市', [])).toBe('20240506070809_添加_城市.ts');
  });
  test('bumps the seconds past taken timestamps', () => {
    const taken = ['20240506070809_other.ts', '20240506070810_more.js'];
    expect(migrationFileName(at, 'add', taken)).toBe('20240506070811_add.ts');
    expect(migrationFileName(new Date(Date.UTC(2024, 11, 31, 23, 59, 59)), 'add', ['20241231235959_add'])).toBe('20250101000000_add.ts');
  });
  test('a message without letters or digits is refused', () => {
    expect(() => migrationFileName(at, ' -- !! ', [])).toThrow(KilnError);
    expect(() => migrationFileName(at, ' -- !! ', [])).toThrow('message must contain letters or digits');
  });
});

describe('value guards', () => {
  const s200 = column('title', 'string', { length: 200 });
  const s20 = column('title', 'string', { length: 20 });
  test('a narrowing change gets a guard at the top of the body, under the names the database has then', () => {
    const ops: Operation[] = [
      { kind: 'addColumn', table: 'post', column: column('extra', 'text') },
      { kind: 'renameTable', from: 'post', to: 'article' },
      { kind: 'renameColumn', table: 'article', from: 'title', to: 'headline' },
      { kind: 'alterColumn', table: 'article', from: { ...s200, name: 'headline' }, to: { ...s20, name: 'headline' } },
    ];
    expect(renderGuards(ops)).toEqual([
      "// kiln: 'post.title' string(200) -> string(20) can change stored values: this guard refuses to run the migration while any row would change; set allowValueChanges: true to accept that",
      "await guardValues(knex, { table: 'post', column: 'title', from: { type: 'string', length: 200 }, to: { type: 'string', length: 20 }, allowValueChanges: false });",
    ]);
    const src = renderMigration({ message: 'm', revision: 'r', createdAt: new Date(0), dialect: 'postgres', up: ops, down: [] });
    expect(src).toContain("import { guardValues } from 'kiln/guard';");
    expect(src.indexOf('await guardValues')).toBeLessThan(src.indexOf('await knex.schema'));
  });

  test('widening, and columns of new tables or new columns, need no guard', () => {
    expect(renderGuards([{ kind: 'alterColumn', table: 'post', from: s20, to: s200 }])).toEqual([]);
    const fl = column('n', 'float');
    expect(renderGuards([{ kind: 'alterColumn', table: 'post', from: column('n', 'integer'), to: fl }])).toEqual([]);
    expect(renderGuards([{ kind: 'alterColumn', table: 'post', from: fl, to: column('n', 'integer') }])).toHaveLength(2);
    expect(renderGuards([{ kind: 'alterColumn', table: 'post', from: column('n', 'bigint'), to: column('n', 'integer') }])).toHaveLength(2);
    const created: Operation = { kind: 'createTable', table: { name: 'post', columns: [s200], primaryKey: null, indexes: [], uniques: [], foreignKeys: [] } };
    expect(renderGuards([created, { kind: 'alterColumn', table: 'post', from: s200, to: s20 }])).toEqual([]);
  });

  test('the counted condition per dialect', () => {
    expect(changedValueCondition('postgres', { type: 'string', length: 200 }, { type: 'string', length: 20 })).toBe('(char_length(??::text) > 20)');
    expect(changedValueCondition('mysql', { type: 'float' }, { type: 'integer' })).toBe('(?? <> floor(??)) OR (?? < -2147483648) OR (?? > 2147483647)');
    expect(changedValueCondition('mysql', { type: 'integer' }, { type: 'bigint' })).toBeNull();
    expect(changedValueCondition('sqlite', { type: 'string', length: 200 }, { type: 'string', length: 20 })).toBeNull();
  });
});
