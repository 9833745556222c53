import type { LintEvent, StatementReader, StatementReading, TableLock } from '../../lint/types';
import { isAt, nameAt, splitTopLevel, tokenize } from '../../lint/tokens';
import { TMP_PREFIX } from '../../public/sqlite';
import type { Schema } from '../../schema/types';

/**
 * SQLite statements. Every write takes the database's single write lock for the transaction
 * (readers go on in WAL mode; other writers wait up to their busy timeout), so no statement
 * `queues` in PostgreSQL's sense. A kiln rebuild (create `_kiln_tmp_<t>`, copy, drop, rename)
 * rewrites the table: reported on the copy statement.
 */
export function loadSqliteReader(): Promise<StatementReader> {
  return Promise.resolve({ read: readStatement });
}

/** The new copy of a table being rebuilt: kiln's `_kiln_tmp_<t>`, Knex's `_knex_temp_alter<n>`. */
const isTemp = (table: string) => table.startsWith(TMP_PREFIX) || /^_knex_temp_alter\d*$/.test(table);

const write = (table: string): TableLock => ({ table, mode: 'database write lock', blocksReads: false, blocksWrites: true, queues: false });

function readStatement(sql: string, schema: Schema): StatementReading {
  const tokens = tokenize(sql).filter((t) => t.text !== ';');
  const reading = (kind: string, table: string | null, events: LintEvent[] = [], rewrites: string[] = []): StatementReading => ({
    kind,
    locks: table === null ? [] : [write(table)],
    rewrites,
    events,
  });
  if (isAt(tokens, 0, 'CREATE', 'TABLE')) {
    const [table] = nameAt(tokens, isAt(tokens, 2, 'IF', 'NOT', 'EXISTS') ? 5 : 2);
    return reading('CREATE TABLE', null, isTemp(table) ? [] : [{ kind: 'create-table', table }]);
  }
  if (isAt(tokens, 0, 'DROP', 'TABLE')) {
    const [table] = nameAt(tokens, isAt(tokens, 2, 'IF', 'EXISTS') ? 4 : 2);
    return reading('DROP TABLE', table, [{ kind: 'drop-table', table }]);
  }
  const unique = isAt(tokens, 1, 'UNIQUE');
  if (isAt(tokens, 0, 'CREATE') && isAt(tokens, unique ? 2 : 1, 'INDEX')) {
    const at = unique ? 3 : 2;
    const [index, after] = nameAt(tokens, isAt(tokens, at, 'IF', 'NOT', 'EXISTS') ? at + 3 : at);
    const [table] = nameAt(tokens, after + 1);
    if (isTemp(table)) return reading('CREATE INDEX', null);
    return reading(unique ? 'CREATE UNIQUE INDEX' : 'CREATE INDEX', table, unique ? [{ kind: 'index-build', table, index, unique, online: true }] : []);
  }
  if (isAt(tokens, 0, 'DROP', 'INDEX')) return reading('DROP INDEX', null);
  if (isAt(tokens, 0, 'INSERT', 'INTO')) {
    const [target, after] = nameAt(tokens, 2);
    const from = tokens.findIndex((t, i) => i > after && t.word === 'FROM' && !t.quoted);
    const source = from >= 0 ? nameAt(tokens, from + 1)[0] : '';
    if (isTemp(target) && source) {
      // The columns the copy leaves behind are dropped by the rebuild.
      const select = tokens.findIndex((t, i) => i >= after && t.word === 'SELECT' && !t.quoted);
      const list = tokens.slice(select + 1, from);
      const copied = new Set(splitTopLevel(list).map((p) => nameAt(p, 0)[0]));
      const dropped = list.some((t) => t.text === '*') ? [] : (schema.tables.find((t) => t.name === source)?.columns ?? []).filter((c) => !copied.has(c.name));
      const events: LintEvent[] = [{ kind: 'rebuild-copy', table: source }, ...dropped.map((c) => ({ kind: 'drop-column' as const, table: source, column: c.name }))];
      return reading('INSERT (table rebuild copy)', source, events, [source]);
    }
    return reading('INSERT', target);
  }
  if (isAt(tokens, 0, 'ALTER', 'TABLE')) {
    const [table, after] = nameAt(tokens, 2);
    if (isTemp(table)) return reading('ALTER TABLE RENAME', null);
    const c = tokens.slice(after);
    if (isAt(c, 0, 'RENAME', 'COLUMN') || (isAt(c, 0, 'RENAME') && !isAt(c, 1, 'TO'))) {
      const [column, next] = nameAt(c, isAt(c, 1, 'COLUMN') ? 2 : 1);
      const to = nameAt(c, next + 1)[0];
      // To its own name: a rebuild's schema probe (src/public/sqlite.ts schemaError), no rename.
      return reading('ALTER TABLE RENAME COLUMN', table, to === column ? [] : [{ kind: 'rename-column', table, column, to }]);
    }
    if (isAt(c, 0, 'RENAME', 'TO')) return reading('ALTER TABLE RENAME', table, [{ kind: 'rename-table', table, to: nameAt(c, 2)[0] }]);
    if (isAt(c, 0, 'DROP')) {
      const [column] = nameAt(c, isAt(c, 1, 'COLUMN') ? 2 : 1);
      return reading('ALTER TABLE DROP COLUMN', table, [{ kind: 'drop-column', table, column }]);
    }
    if (isAt(c, 0, 'ADD')) {
      const [column] = nameAt(c, isAt(c, 1, 'COLUMN') ? 2 : 1);
      const words = splitTopLevel(c)[0].map((t) => (t.quoted ? '' : t.word));
      const notNull = words.some((x, i) => x === 'NOT' && words[i + 1] === 'NULL');
      return reading('ALTER TABLE ADD COLUMN', table, [{ kind: 'add-column', table, column, notNull, hasDefault: words.includes('DEFAULT'), volatileDefault: null }]);
    }
    return reading('ALTER TABLE', table);
  }
  const word = tokens[0]?.word ?? '';
  if (['UPDATE', 'DELETE', 'REPLACE'].includes(word)) return reading(word, nameAt(tokens, word === 'DELETE' ? 2 : 1)[0]);
  return reading(tokens.slice(0, 2).map((t) => t.word).join(' ') || 'EMPTY', null);
}
