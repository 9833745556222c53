import type { LintEvent, StatementReader, StatementReading, TableLock } from '../../lint/types';
import { isAt, nameAt, splitTopLevel, tokenize, type Token } from '../../lint/tokens';
import type { Column, Schema } from '../../schema/types';
import { lobSpelling } from './column-types';

/**
 * MySQL/MariaDB statements as InnoDB's online DDL runs them (MySQL 8.0 "Online DDL
 * Operations", MariaDB "InnoDB Online DDL Overview"): each ALTER TABLE clause is INSTANT,
 * INPLACE (the table stays writable, LOCK=NONE) or COPY (the table is copied and writes wait).
 * Every DDL statement also needs an exclusive metadata lock, briefly, which queues behind
 * running transactions: hence `queues` on every lock of an existing table.
 */

type Algorithm = 'INSTANT' | 'INPLACE' | 'COPY';
const ORDER: readonly Algorithm[] = ['INSTANT', 'INPLACE', 'COPY'];

export function loadMysqlReader(): Promise<StatementReader> {
  return Promise.resolve({ read: readStatement });
}

interface State {
  table: string;
  /** ALGORITHM=INPLACE is written: the server refuses the statement rather than copy the table. */
  inplace?: boolean;
  algorithm: Algorithm;
  readonly events: LintEvent[];
  readonly extraLocks: TableLock[];
}

function readStatement(sql: string, schema: Schema): StatementReading {
  const tokens = tokenize(sql).filter((t) => t.text !== ';');
  const empty = (kind: string): StatementReading => ({ kind, locks: [], rewrites: [], events: [] });
  if (isAt(tokens, 0, 'SET')) {
    const i = tokens.findIndex((t) => t.word === 'LOCK_WAIT_TIMEOUT');
    const value = i >= 0 ? tokens[i + 2]?.text : undefined;
    const events: LintEvent[] = value !== undefined && Number(value) > 0 && Number(value) < 31536000 ? [{ kind: 'lock-timeout', value }] : [];
    return { kind: 'SET', locks: [], rewrites: [], events };
  }
  if (isAt(tokens, 0, 'CREATE', 'TABLE')) {
    const [table] = nameAt(tokens, isAt(tokens, 2, 'IF', 'NOT', 'EXISTS') ? 5 : 2);
    return { ...empty('CREATE TABLE'), events: [{ kind: 'create-table', table }] };
  }
  if (isAt(tokens, 0, 'DROP', 'TABLE')) {
    const names = splitTopLevel(tokens.slice(isAt(tokens, 2, 'IF', 'EXISTS') ? 4 : 2)).map((p) => nameAt(p, 0)[0]);
    return { kind: 'DROP TABLE', locks: names.map((t) => lock(t, 'COPY', true)), rewrites: [], events: names.map((table) => ({ kind: 'drop-table', table })) };
  }
  if (isAt(tokens, 0, 'RENAME', 'TABLE')) {
    const pairs = splitTopLevel(tokens.slice(2)).map((p) => [nameAt(p, 0)[0], nameAt(p, nameAt(p, 0)[1] + 1)[0]] as const);
    return { kind: 'RENAME TABLE', locks: pairs.map(([t]) => lock(t, 'INSTANT')), rewrites: [], events: pairs.map(([table, to]) => ({ kind: 'rename-table', table, to })) };
  }
  const unique = isAt(tokens, 1, 'UNIQUE');
  if (isAt(tokens, 0, 'CREATE') && isAt(tokens, unique ? 2 : 1, 'INDEX')) {
    const [index, after] = nameAt(tokens, unique ? 3 : 2);
    const [table] = nameAt(tokens, after + 1);
    const s: State = { table, algorithm: 'INPLACE', events: [{ kind: 'index-build', table, index, unique, online: true }], extraLocks: [] };
    return finish('CREATE INDEX', s, explicitAlgorithm(tokens));
  }
  if (isAt(tokens, 0, 'DROP', 'INDEX')) {
    const [index, after] = nameAt(tokens, 2);
    const [table] = nameAt(tokens, after + 1);
    const s: State = { table, algorithm: 'INPLACE', events: [{ kind: 'index-drop', table, index, online: true }], extraLocks: [] };
    return finish('DROP INDEX', s, explicitAlgorithm(tokens));
  }
  if (isAt(tokens, 0, 'ALTER', 'TABLE')) return alterTable(tokens, schema);
  const word = tokens[0]?.word ?? '';
  if (['INSERT', 'UPDATE', 'DELETE', 'REPLACE'].includes(word)) return empty(word);
  return empty(tokens.slice(0, 2).map((t) => t.word).join(' ') || 'EMPTY');
}

function lock(table: string, algorithm: Algorithm, blocksAll = false): TableLock {
  const copy = algorithm === 'COPY';
  return { table, mode: blocksAll ? 'exclusive' : copy ? 'COPY, LOCK=SHARED' : `${algorithm}, LOCK=NONE`, blocksReads: blocksAll, blocksWrites: copy || blocksAll, queues: true };
}

/** ALGORITHM=... and LOCK=... as written: an explicit COPY or a LOCK that blocks writes. */
function explicitAlgorithm(tokens: readonly Token[]): Algorithm | null {
  for (let i = 0; i + 2 < tokens.length; i++) {
    if (tokens[i + 1].text !== '=') continue;
    const value = tokens[i + 2].word;
    if (tokens[i].word === 'ALGORITHM' && value === 'COPY') return 'COPY';
    if (tokens[i].word === 'LOCK' && (value === 'SHARED' || value === 'EXCLUSIVE')) return 'COPY';
  }
  return null;
}

function finish(kind: string, s: State, explicit: Algorithm | null): StatementReading {
  const algorithm = explicit && ORDER.indexOf(explicit) > ORDER.indexOf(s.algorithm) ? explicit : s.algorithm;
  const rewrites = algorithm === 'COPY' ? [s.table] : [];
  const events = [...s.events];
  if (algorithm === 'COPY' && !events.some((e) => e.kind === 'table-copy')) events.push({ kind: 'table-copy', table: s.table, why: explicit ? 'ALGORITHM=COPY or a blocking LOCK is requested' : 'the server cannot make this change in place' });
  return { kind, locks: [lock(s.table, algorithm), ...s.extraLocks], rewrites, events };
}

function alterTable(tokens: readonly Token[], schema: Schema): StatementReading {
  const [table, after] = nameAt(tokens, 2);
  const inplace = tokens.some((t, i) => t.word === 'ALGORITHM' && tokens[i + 1]?.text === '=' && tokens[i + 2]?.word === 'INPLACE');
  const s: State = { table, algorithm: 'INSTANT', events: [], extraLocks: [], inplace };
  const raise = (a: Algorithm) => {
    if (ORDER.indexOf(a) > ORDER.indexOf(s.algorithm)) s.algorithm = a;
  };
  const columns = schema.tables.find((t) => t.name === table)?.columns ?? [];
  for (const clause of splitTopLevel(tokens.slice(after))) alterClause(clause, s, raise, columns);
  return finish('ALTER TABLE', s, explicitAlgorithm(tokens));
}

function alterClause(c: Token[], s: State, raise: (a: Algorithm) => void, columns: readonly Column[]): void {
  const table = s.table;
  const w = (i: number, ...words: string[]) => isAt(c, i, ...words);
  if (w(0, 'ALGORITHM') || w(0, 'LOCK')) return;
  if (w(0, 'ADD')) {
    const at = w(1, 'CONSTRAINT') ? nameAt(c, 2)[1] : 1;
    const name = w(1, 'CONSTRAINT') ? nameAt(c, 2)[0] : '';
    if (w(at, 'FOREIGN', 'KEY')) {
      // INPLACE only with foreign_key_checks=0 (the server refuses ALGORITHM=INPLACE otherwise):
      // nothing is validated or copied; kiln/online's verifyForeignKey checks the rows after.
      if (s.inplace) {
        raise('INPLACE');
        return;
      }
      // Otherwise the table is copied.
      raise('COPY');
      s.events.push({ kind: 'validate', table, constraint: name, what: 'foreign key' });
      s.events.push({ kind: 'table-copy', table, why: 'adding a foreign key with foreign_key_checks on copies the table' });
      return;
    }
    if (w(at, 'CHECK')) {
      raise('COPY');
      s.events.push({ kind: 'validate', table, constraint: name, what: 'check' });
      return;
    }
    if (w(at, 'PRIMARY', 'KEY')) {
      raise('INPLACE');
      s.events.push({ kind: 'index-build', table, index: name || 'PRIMARY', unique: true, online: true });
      return;
    }
    const isUnique = w(at, 'UNIQUE');
    if (isUnique || w(at, 'INDEX') || w(at, 'KEY') || w(at, 'FULLTEXT') || w(at, 'SPATIAL')) {
      let i = at + 1;
      if (w(i, 'INDEX') || w(i, 'KEY')) i++;
      raise(w(at, 'FULLTEXT') || w(at, 'SPATIAL') ? 'COPY' : 'INPLACE');
      s.events.push({ kind: 'index-build', table, index: c[i] && c[i].text !== '(' ? nameAt(c, i)[0] : name, unique: isUnique, online: true });
      return;
    }
    addColumn(c, w(1, 'COLUMN') ? 2 : 1, s, raise);
    return;
  }
  if (w(0, 'DROP')) {
    if (w(1, 'FOREIGN', 'KEY') || w(1, 'CHECK') || w(1, 'CONSTRAINT')) return raise('INPLACE');
    if (w(1, 'PRIMARY', 'KEY')) return raise('COPY');
    if (w(1, 'INDEX') || w(1, 'KEY')) {
      raise('INPLACE');
      s.events.push({ kind: 'index-drop', table, index: nameAt(c, 2)[0], online: true });
      return;
    }
    const [column] = nameAt(c, w(1, 'COLUMN') ? 2 : 1);
    raise('INPLACE');
    s.events.push({ kind: 'drop-column', table, column });
    return;
  }
  if (w(0, 'RENAME', 'COLUMN')) {
    const [column, next] = nameAt(c, 2);
    s.events.push({ kind: 'rename-column', table, column, to: nameAt(c, next + 1)[0] });
    return raise('INPLACE');
  }
  if (w(0, 'RENAME', 'INDEX') || w(0, 'RENAME', 'KEY')) return raise('INPLACE');
  if (w(0, 'RENAME')) {
    const at = w(1, 'TO') || w(1, 'AS') ? 2 : 1;
    s.events.push({ kind: 'rename-table', table, to: nameAt(c, at)[0] });
    return;
  }
  if (w(0, 'MODIFY') || w(0, 'CHANGE')) {
    const at = w(1, 'COLUMN') ? 2 : 1;
    const [column, next] = nameAt(c, at);
    const [newName, typeAt] = w(0, 'CHANGE') ? nameAt(c, next) : [column, next];
    if (newName !== column) s.events.push({ kind: 'rename-column', table, column, to: newName });
    modifyColumn(c, typeAt, column, s, raise, columns.find((col) => col.name === column));
    return;
  }
  if (w(0, 'ALTER')) return raise('INSTANT'); // ALTER COLUMN SET/DROP DEFAULT
  raise('COPY');
}

function addColumn(c: Token[], at: number, s: State, raise: (a: Algorithm) => void): void {
  const [column] = nameAt(c, at);
  const words = c.map((t) => (t.quoted ? '' : t.word));
  const notNull = words.some((x, i) => x === 'NOT' && words[i + 1] === 'NULL');
  if (words.includes('AUTO_INCREMENT') || words.includes('STORED') || words.includes('PRIMARY')) raise('COPY');
  else raise(words.includes('FIRST') || words.includes('AFTER') ? 'INPLACE' : 'INSTANT');
  // MySQL fills a NOT NULL column without a default with the type's implicit default (0, ''):
  // the statement succeeds, so not-null-without-default does not apply here.
  s.events.push({ kind: 'add-column', table: s.table, column, notNull, hasDefault: true, volatileDefault: null });
}

/**
 * MODIFY/CHANGE restate the whole column. A change of type copies the table; the same type
 * with other nullability or default is INPLACE; a VARCHAR made longer stays INPLACE while its
 * length prefix keeps its size (up to 255 bytes or from 256 up, utf8mb4: 4 bytes a character).
 */
function modifyColumn(c: Token[], typeAt: number, column: string, s: State, raise: (a: Algorithm) => void, old: Column | undefined): void {
  const type = (c[typeAt]?.word ?? '').toLowerCase();
  const len = c[typeAt + 1]?.text === '(' ? Number(c[typeAt + 2]?.text) : null;
  const words = c.map((t) => (t.quoted ? '' : t.word));
  const notNull = words.some((x, i) => x === 'NOT' && words[i + 1] === 'NULL');
  if (old && notNull && old.nullable) s.events.push({ kind: 'set-not-null', table: s.table, column });
  const same = old !== undefined && sameType(old, type, len);
  if (same === 'same') return raise('INPLACE');
  if (same === 'widened') return raise('INPLACE');
  raise('COPY');
  s.events.push({ kind: 'type-change', table: s.table, column, to: len === null ? type : `${type}(${len})`, rewrite: true });
}

function sameType(old: Column, type: string, len: number | null): 'same' | 'widened' | 'changed' {
  const simple: Record<string, string> = { int: 'integer', integer: 'integer', bigint: 'bigint', date: 'date', time: 'time', datetime: 'datetime', double: 'float', tinyint: 'boolean', boolean: 'boolean', json: 'json' };
  // TEXT/BLOB of another size is another type (a copy).
  if (/^(tiny|medium|long|)(text|blob)$/.test(type)) return (old.type === 'text' || (old.type === 'binary' && old.length === null)) && lobSpelling(old) === type ? 'same' : 'changed';
  if (type === 'varchar') {
    if (old.type !== 'string' || old.length === null || len === null) return 'changed';
    if (len === old.length) return 'same';
    const bytes = (n: number) => n * 4 > 255;
    return len > old.length && bytes(len) === bytes(old.length) ? 'widened' : 'changed';
  }
  return simple[type] === old.type ? 'same' : 'changed';
}
