/** Issue 11 items 3-5: one op -> one string, per dialect (render), and the pure pieces (expression keys, reverse). */
import { reverseOp } from '../../src/ops/reverse';
import type { Operation } from '../../src/ops/types';
import { renderOp } from '../../src/render';
import { column } from '../../src/schema/build';
import { expressionKey, groupedExpressionKey } from '../../src/schema/expression';

const check = { name: 'product_price_check', expression: 'price >= 0' };

describe('render', () => {
  test.each(['postgres', 'mysql'] as const)('addCheck / dropCheck on %s: ALTER TABLE through knex.raw, names as bindings', (dialect) => {
    expect(renderOp({ kind: 'addCheck', table: 'product', check }, dialect)).toBe(
      "await knex.raw('ALTER TABLE ?? ADD CONSTRAINT ?? CHECK (price >= 0)', ['product', 'product_price_check']);",
    );
    expect(renderOp({ kind: 'dropCheck', table: 'product', check }, dialect)).toBe(
      "await knex.raw('ALTER TABLE ?? DROP CONSTRAINT ??', ['product', 'product_price_check']);",
    );
  });

  test('SQLite cannot add or drop a check in place: rendering one is a kiln bug (the planner rebuilds)', () => {
    expect(() => renderOp({ kind: 'addCheck', table: 'product', check }, 'sqlite')).toThrow(/rebuildTable/);
    expect(() => renderOp({ kind: 'dropCheck', table: 'product', check }, 'sqlite')).toThrow(/rebuildTable/);
  });

  test('comments are escaped for what knex does with them: PostgreSQL doubles quotes and escapes ?, MySQL escapes backslashes and quotes', () => {
    const op: Operation = { kind: 'alterTableComment', table: 'product', from: 'old', to: "it's \\ a ? table" };
    expect(renderOp(op, 'postgres')).toBe("await knex.schema.alterTable('product', (t) => {\n  t.comment('it\\'\\'s \\\\ a \\\\? table');\n});");
    expect(renderOp(op, 'mysql')).toBe("await knex.schema.alterTable('product', (t) => {\n  t.comment('it\\\\\\'s \\\\\\\\ a ? table');\n});");
    const removed: Operation = { kind: 'alterTableComment', table: 'product', from: 'old' };
    expect(renderOp(removed, 'postgres')).toBe("await knex.schema.alterTable('product', (t) => {\n  t.comment('');\n});");
    const col: Operation = { kind: 'addColumn', table: 'product', column: { ...column('note', 'string', { length: 20 }), comment: "it's" } };
    expect(renderOp(col, 'postgres')).toBe("await knex.schema.alterTable('product', (t) => {\n  t.string('note', 20).comment('it\\'\\'s');\n});");
  });

  test('PostgreSQL changes only a comment with COMMENT ON COLUMN (no type, default or NOT NULL restated)', () => {
    const op: Operation = { kind: 'alterColumn', table: 'product', from: column('note', 'text'), to: { ...column('note', 'text'), comment: "it's ?" } };
    expect(renderOp(op, 'postgres')).toBe("await knex.raw('COMMENT ON COLUMN ??.?? IS \\'it\\'\\'s \\\\?\\'', ['product', 'note']);");
    const removed: Operation = { kind: 'alterColumn', table: 'product', from: { ...column('note', 'text'), comment: 'x' }, to: column('note', 'text') };
    expect(renderOp(removed, 'postgres')).toBe("await knex.raw('COMMENT ON COLUMN ??.?? IS NULL', ['product', 'note']);");
  });

  test('a comment that goes away is said as empty (knex leaves a comment it is not told about)', () => {
    const op: Operation = { kind: 'alterColumn', table: 'product', from: { ...column('note', 'text'), comment: 'x' }, to: column('note', 'text') };
    expect(renderOp(op, 'mysql')).toBe("await knex.schema.alterTable('product', (t) => {\n  t.text('note').nullable().comment('').alter({ alterNullable: false });\n});");
  });

  test.each(['postgres', 'mysql', 'sqlite'] as const)('indexes knex cannot say are one CREATE INDEX through knex.raw on %s; plain ones stay t.index', (dialect) => {
    const partial: Operation = { kind: 'addIndex', table: 'product', index: { name: 'product_live_email', columns: ['email'], where: 'deleted_at is null', unique: true } };
    expect(renderOp(partial, dialect)).toBe("await knex.raw('CREATE UNIQUE INDEX ?? ON ?? (??) WHERE deleted_at is null', ['product_live_email', 'product', 'email']);");
    const expr: Operation = { kind: 'addIndex', table: 'product', index: { name: 'product_email_lower', columns: [], expression: 'lower(email)', order: ['desc'] } };
    expect(renderOp(expr, dialect)).toBe("await knex.raw('CREATE INDEX ?? ON ?? ((lower(email)) DESC)', ['product_email_lower', 'product']);");
    const plain: Operation = { kind: 'addIndex', table: 'product', index: { name: 'product_qty_index', columns: ['qty'] } };
    expect(renderOp(plain, dialect)).toBe("await knex.schema.alterTable('product', (t) => {\n  t.index(['qty'], 'product_qty_index');\n});");
  });

  test('PostgreSQL method and include', () => {
    const op: Operation = { kind: 'addIndex', table: 'product', index: { name: 'product_tags', columns: ['tags', 'qty'], method: 'gin', include: ['name'], order: ['asc', 'desc'] } };
    expect(renderOp(op, 'postgres')).toBe("await knex.raw('CREATE INDEX ?? ON ?? USING gin (??, ?? DESC) INCLUDE (??)', ['product_tags', 'product', 'tags', 'qty', 'name']);");
  });

  test('createTable: checks (quoted names) and the comment inside, special indexes after', () => {
    const op: Operation = {
      kind: 'createTable',
      table: {
        name: 'product',
        columns: [column('id', 'integer', { nullable: false, autoIncrement: true, unsigned: true }), column('price', 'float')],
        primaryKey: { name: 'product_pkey', columns: ['id'] },
        indexes: [{ name: 'product_price_index', columns: ['price'], order: ['desc'] }],
        uniques: [],
        foreignKeys: [],
        checks: [check],
        comment: 'things',
      },
    };
    expect(renderOp(op, 'mysql')).toBe(
      "await knex.schema.createTable('product', (t) => {\n  t.increments('id');\n  t.double('price');\n" +
        "  t.check('price >= 0', [], '`product_price_check`');\n  t.comment('things');\n});\n" +
        "await knex.raw('CREATE INDEX ?? ON ?? (?? DESC)', ['product_price_index', 'product', 'price']);",
    );
  });

  test('reverse is exact: addCheck <-> dropCheck, a table comment back to what it was', () => {
    expect(reverseOp({ kind: 'addCheck', table: 't', check })).toEqual({ kind: 'dropCheck', table: 't', check });
    expect(reverseOp({ kind: 'alterTableComment', table: 't', from: 'a', to: 'b' })).toEqual({ kind: 'alterTableComment', table: 't', from: 'b', to: 'a' });
    expect(reverseOp({ kind: 'alterTableComment', table: 't', to: 'b' })).toEqual({ kind: 'alterTableComment', table: 't', from: 'b' });
  });
});

describe('expressionKey: what each database prints back compares equal to what the model says', () => {
  test.each([
    ['price >= 0', '((price >= (0)::numeric))'],
    ['price >= 0', '`price` >= 0'],
    ['length(title) > 0', '(length((title)::text) > 0)'],
    ["status in ('a', 'b')", "((status)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))"],
    ["status in ('a', 'b')", "((status)::text = ANY (ARRAY[('a'::character varying)::text, ('b'::character varying)::text]))"],
    ['qty between 0 and 1000', '((qty >= 0) AND (qty <= 1000))'],
    ["name like 'a%'", "((name)::text ~~ 'a%'::text)"],
    ["a != 'x'", "(a <> 'x'::text)"],
    ["status = 'a'", "`status` = _utf8mb4'a'"],
    ['deleted_at is null', '(deleted_at IS NULL)'],
    // PostgreSQL prints a negative number as a cast string (found by the random round trip).
    ['k between -4 and 11', "(((k >= '-4'::integer) AND (k <= 11)))"],
    ['k >= -1.5', "((k >= '-1.5'::numeric))"],
  ])('%s ~ %s', (model, database) => {
    expect(expressionKey(database)).toBe(expressionKey(model));
  });

  test.each([
    ['price >= 0', 'price > 0'],
    ["status in ('a', 'b')", "status in ('a', 'c')"],
    ["name = 'A'", "name = 'a'"],
    ["k >= '-4'", 'k >= -4'],
    ["k >= '-4'::text", 'k >= -4'],
  ])('%s differs from %s', (a, b) => {
    expect(expressionKey(a)).not.toBe(expressionKey(b));
  });
});

describe('groupedExpressionKey (generated columns): the database print-out matches, a change of grouping does not', () => {
  test.each([
    ['a + b * c', '(a + (b * c))'],
    ['(a + b) * c', '((a + b) * c)'],
    ['a - (b - c)', '(a - (b - c))'],
    ['a - b - c', '((a - b) - c)'],
    ['length(title)', 'length((title)::text)'],
    ["concat(a, ' ', b)", "concat(`a`,_utf8mb4' ',`b`)"],
    ["(first || ' ') || last", "(((first)::text || ' '::text) || (last)::text)"],
    ['price * qty', '`price` * `qty`'],
    ['-(a + b)', '(- (a + b))'],
    ['a * -b', '(a * (- b))'],
  ])('%s ~ %s', (model, database) => {
    expect(groupedExpressionKey(database)).toBe(groupedExpressionKey(model));
  });

  test.each([
    ['(a + b) * c', 'a + b * c'],
    ['a - (b - c)', 'a - b - c'],
    ['-(a + b)', '-a + b'],
    ['(a or b) and c', 'a or (b and c)'],
  ])('%s differs from %s', (a, b) => {
    expect(groupedExpressionKey(a)).not.toBe(groupedExpressionKey(b));
  });
});
