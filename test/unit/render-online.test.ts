/**
 * Online-safe generation (src/render/online.ts, src/dialect/{postgres,mysql}/online.ts): one op
 * on an existing table -> the steps written; what stays plain (tables created in the same
 * migration, SQLite, online off). The CLI test test/cli/online.test.ts runs them on servers.
 */
import { transform } from 'sucrase';
import type { Operation } from '../../src/ops/types';
import { renderMigration } from '../../src/render';
import { copyWarnings, isOnline, renderOnlineOps } from '../../src/render/online';
import { notNullCheckName } from '../../src/dialect/postgres/online';
import { column } from '../../src/schema/build';
import type { ForeignKey, Table } from '../../src/schema/types';

const fk: ForeignKey = { name: 'post_author_id_foreign', columns: ['author_id'], refTable: 'author', refColumns: ['id'], onDelete: 'CASCADE', onUpdate: 'NO ACTION' };
const index: Operation = { kind: 'addIndex', table: 'post', index: { name: 'post_title_index', columns: ['title'] } };
const fresh: Table = { name: 'tag', columns: [column('id', 'integer', { nullable: false })], primaryKey: { name: 'tag_pkey', columns: ['id'] }, indexes: [], uniques: [], foreignKeys: [] };

describe('PostgreSQL', () => {
  const one = (op: Operation) => renderOnlineOps([op], 'postgres')[0];
  test('indexes: concurrently, outside a transaction', () => {
    expect(one(index)).toBe("await createIndexConcurrently(knex, 'post_title_index', 'CREATE INDEX CONCURRENTLY IF NOT EXISTS ?? ON ?? (??)', ['post_title_index', 'post', 'title']);");
    expect(one({ kind: 'dropIndex', table: 'post', index: { name: 'post_title_index', columns: ['title'] } })).toBe("await dropIndexConcurrently(knex, 'post_title_index');");
    expect(one({ kind: 'addIndex', table: 'post', index: { name: 'post_lower', columns: [], expression: 'lower(title)', where: 'id > 0' } })).toBe(
      "await createIndexConcurrently(knex, 'post_lower', 'CREATE INDEX CONCURRENTLY IF NOT EXISTS ?? ON ?? ((lower(title))) WHERE id > 0', ['post_lower', 'post']);",
    );
  });
  test('a unique rule: a concurrent unique index, attached', () => {
    expect(one({ kind: 'addUnique', table: 'post', unique: { name: 'post_slug_unique', columns: ['slug'] } })).toBe(
      [
        "await createIndexConcurrently(knex, 'post_slug_unique', 'CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ?? ON ?? (??)', ['post_slug_unique', 'post', 'slug']);",
        'await ddl(knex, async (knex) => {',
        "  await knex.raw('ALTER TABLE ?? ADD CONSTRAINT ?? UNIQUE USING INDEX ??', ['post', 'post_slug_unique', 'post_slug_unique']);",
        "}, { skipIf: { has: 'constraint', table: 'post', name: 'post_slug_unique' } });",
      ].join('\n'),
    );
  });
  test('foreign keys and checks: NOT VALID, then validated in a step of their own', () => {
    expect(one({ kind: 'addForeignKey', table: 'post', foreignKey: fk })).toBe(
      [
        'await ddl(knex, async (knex) => {',
        "  await knex.raw('ALTER TABLE ?? ADD CONSTRAINT ?? FOREIGN KEY (??) REFERENCES ?? (??) ON DELETE CASCADE NOT VALID', ['post', 'post_author_id_foreign', 'author_id', 'author', 'id']);",
        "}, { skipIf: { has: 'constraint', table: 'post', name: 'post_author_id_foreign' } });",
        'await ddl(knex, async (knex) => {',
        "  await knex.raw('ALTER TABLE ?? VALIDATE CONSTRAINT ??', ['post', 'post_author_id_foreign']);",
        '});',
      ].join('\n'),
    );
    expect(one({ kind: 'addCheck', table: 'post', check: { name: 'post_qty_check', expression: 'qty >= 0' } })).toContain("'ALTER TABLE ?? ADD CONSTRAINT ?? CHECK (qty >= 0) NOT VALID', ['post', 'post_qty_check']");
  });
  test('NOT NULL on an existing column: setNotNull; its other changes first, in a plain step', () => {
    const from = column('title', 'string', { length: 50 });
    expect(one({ kind: 'alterColumn', table: 'post', from, to: { ...from, nullable: false } })).toBe("await setNotNull(knex, 'post', 'title', 'post_title_not_null');");
    const both = one({ kind: 'alterColumn', table: 'post', from, to: { ...from, nullable: false, length: 80 } });
    expect(both).toMatch(/^await ddl\(knex, async \(knex\) => \{\n {2}await knex\.schema\.alterTable\('post', \(t\) => \{\n {4}t\.string\('title', 80\)[^\n]*\.alter\(/);
    expect(both.split('\n').pop()).toBe("await setNotNull(knex, 'post', 'title', 'post_title_not_null');");
    expect(notNullCheckName('t'.repeat(40), 'c'.repeat(40))).toHaveLength(63);
  });
  test('other changes: their plain statements in a ddl() step that a re-run skips when done', () => {
    expect(one({ kind: 'addColumn', table: 'post', column: column('status', 'string', { length: 10 }) })).toBe(
      [
        'await ddl(knex, async (knex) => {',
        "  await knex.schema.alterTable('post', (t) => {",
        "    t.string('status', 10);",
        '  });',
        "}, { skipIf: { has: 'column', table: 'post', name: 'status' } });",
      ].join('\n'),
    );
    expect(one({ kind: 'dropColumn', table: 'post', column: column('status', 'string', { length: 10 }) })).toMatch(/^\/\/ kiln: drops column 'post\.status' and its data\nawait ddl\([\s\S]*\{ skipIf: \{ lacks: 'column', table: 'post', name: 'status' \} \}\);$/);
  });
  test('a table created in the same migration is written plain (in a ddl step), and its indexes too', () => {
    const out = renderOnlineOps([{ kind: 'createTable', table: fresh }, { kind: 'addIndex', table: 'tag', index: { name: 'tag_id_index', columns: ['id'] } }], 'postgres');
    expect(out[1]).toContain("t.index(['id'], 'tag_id_index')");
    expect(isOnline([{ kind: 'createTable', table: fresh }], 'postgres', true)).toBe(false);
  });
});

describe('MySQL/MariaDB', () => {
  const one = (op: Operation) => renderOnlineOps([op], 'mysql')[0];
  test('indexes in place, LOCK=NONE', () => {
    expect(one(index)).toContain("'ALTER TABLE ?? ADD INDEX ?? (??), ALGORITHM=INPLACE, LOCK=NONE', ['post', 'post_title_index', 'title']");
    expect(one({ kind: 'dropUnique', table: 'post', unique: { name: 'u', columns: ['a'] } })).toContain("'ALTER TABLE ?? DROP INDEX ??, ALGORITHM=INPLACE, LOCK=NONE', ['post', 'u']");
  });
  test('a foreign key in place with foreign_key_checks off, then its rows verified', () => {
    const out = one({ kind: 'addForeignKey', table: 'post', foreignKey: fk });
    expect(out).toContain("await knex.raw('SET foreign_key_checks = 0');");
    expect(out).toContain("'ALTER TABLE ?? ADD CONSTRAINT ?? FOREIGN KEY (??) REFERENCES ?? (??) ON DELETE CASCADE, ALGORITHM=INPLACE, LOCK=NONE'");
    expect(out.split('\n').pop()).toBe("await verifyForeignKey(knex, { table: 'post', name: 'post_author_id_foreign', columns: ['author_id'], refTable: 'author', refColumns: ['id'] });");
  });
  test('changes only a table copy can make: a comment and a warning', () => {
    const check: Operation = { kind: 'addCheck', table: 'post', check: { name: 'post_qty_check', expression: 'qty >= 0' } };
    expect(one(check)).toMatch(/^\/\/ kiln: adding check 'post_qty_check' on 'post' copies the table \(ALGORITHM=COPY\)/);
    const from = column('qty', 'integer');
    expect(copyWarnings([check, { kind: 'alterColumn', table: 'post', from, to: { ...from, type: 'bigint' } }, { kind: 'alterColumn', table: 'post', from, to: { ...from, nullable: false } }], 'mysql')).toEqual([
      "adding check 'post_qty_check' on 'post' copies the table (ALGORITHM=COPY): writes to 'post' wait until the copy ends",
      "changing the type of 'post.qty' copies the table (ALGORITHM=COPY): writes to 'post' wait until the copy ends",
    ]);
  });
});

describe('the module', () => {
  const input = (dialect: 'postgres' | 'mysql' | 'sqlite', online: boolean) => ({
    message: 'index title',
    revision: '20260101000000_index_title',
    createdAt: new Date('2026-01-01T00:00:00Z'),
    dialect,
    up: [index],
    down: [{ kind: 'dropIndex', table: 'post', index: { name: 'post_title_index', columns: ['title'] } } as Operation],
    online,
  });
  test('declares transaction: false and imports the helpers it calls; compiles', () => {
    const src = renderMigration(input('postgres', true));
    expect(src).toContain("import { createIndexConcurrently, dropIndexConcurrently } from 'kiln/online';");
    expect(src).toContain('export const config = { transaction: false };');
    expect(() => transform(src, { transforms: ['typescript', 'imports'] })).not.toThrow();
  });
  test('online off, and SQLite: the plain form', () => {
    expect(renderMigration(input('postgres', false))).not.toContain('kiln/online');
    expect(renderMigration(input('sqlite', true))).not.toContain('kiln/online');
    expect(isOnline([index], 'sqlite', true)).toBe(false);
  });
});
