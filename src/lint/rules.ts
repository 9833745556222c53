import type { AnalyzedStatement, Finding, LintContext, LintEvent, Severity, StatementReading } from './types';

/** One rule: what it objects to, why, and the fix (docs/lint.md is written from the same words). */
export interface Rule {
  readonly id: string;
  readonly severity: Severity;
  readonly title: string;
  readonly why: string;
  readonly fix: string;
}

export const RULES = {
  'concurrently-in-transaction': {
    severity: 'error',
    title: 'CONCURRENTLY inside a transaction',
    why: 'PostgreSQL refuses CREATE/DROP INDEX CONCURRENTLY inside a transaction block, and kiln runs every migration inside the run\'s transaction.',
    fix: 'Put the statement in a migration of its own that declares `export const config = { transaction: false }`, or drop CONCURRENTLY.',
  },
  'not-null-without-default': {
    severity: 'error',
    title: 'NOT NULL column without a default on a populated table',
    why: 'The existing rows have no value for the new column: the statement fails.',
    fix: 'Give the column a default, or add it nullable, fill it in, then make it NOT NULL.',
  },
  'blocking-index-build': {
    severity: 'warning',
    title: 'Index built under a lock that blocks writes',
    why: 'A plain CREATE INDEX holds a SHARE lock on the table for the whole build: every INSERT, UPDATE and DELETE waits.',
    fix: 'PostgreSQL: CREATE INDEX CONCURRENTLY in a migration with `export const config = { transaction: false }`. MySQL/MariaDB: ALGORITHM=INPLACE, LOCK=NONE.',
  },
  'blocking-index-drop': {
    severity: 'warning',
    title: 'Index dropped under an exclusive lock',
    why: 'DROP INDEX takes an ACCESS EXCLUSIVE lock on the table: reads and writes wait, and queue behind any long transaction.',
    fix: 'DROP INDEX CONCURRENTLY in a migration with `export const config = { transaction: false }`.',
  },
  'validation-under-lock': {
    severity: 'warning',
    title: 'Constraint validated while holding a lock',
    why: 'Adding a foreign key or check constraint reads every row of the table to validate it, holding a lock that blocks writes (and, for a check, reads) for the whole scan.',
    fix: 'Add the constraint NOT VALID (fast), then VALIDATE CONSTRAINT in a later step: validation takes a lock that lets reads and writes go on.',
  },
  'unique-over-duplicates': {
    severity: 'warning',
    title: 'Unique rule added over existing rows',
    why: 'The statement fails if the rows already hold duplicates, after building (and locking) for the whole table.',
    fix: 'Check first: SELECT the columns, count(*) ... GROUP BY the columns HAVING count(*) > 1. On PostgreSQL build the unique index CONCURRENTLY, then attach it with ADD CONSTRAINT ... UNIQUE USING INDEX.',
  },
  'not-null-scan': {
    severity: 'warning',
    title: 'SET NOT NULL scans the table under an exclusive lock',
    why: 'PostgreSQL reads every row to prove there is no NULL while holding ACCESS EXCLUSIVE: reads and writes wait.',
    fix: 'Add CHECK (col IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT, then SET NOT NULL (PostgreSQL 12+ uses the check and skips the scan), then drop the check.',
  },
  'volatile-default': {
    severity: 'warning',
    title: 'Volatile default rewrites the table',
    why: 'A default computed per row (random(), gen_random_uuid(), clock_timestamp(), ...) makes ADD COLUMN write every row under an exclusive lock.',
    fix: 'Add the column without a default (or with a constant one), set the default, and fill existing rows in batches.',
  },
  'type-change-rewrite': {
    severity: 'warning',
    title: 'Column type change rewrites the table',
    why: 'Changing a column\'s type rewrites every row (and its indexes) while the table is locked.',
    fix: 'Add a new column of the new type, fill it in batches, switch the application over, then drop the old one. Widening a VARCHAR or turning it into TEXT needs no rewrite.',
  },
  'table-copy': {
    severity: 'warning',
    title: 'The table is copied under a lock that blocks writes',
    why: 'The database cannot make this change in place: it copies the whole table, and writes wait until the copy ends.',
    fix: 'MySQL/MariaDB: use a change the server does INSTANT or INPLACE (ALGORITHM=INPLACE, LOCK=NONE), or an online schema change tool (gh-ost, pt-online-schema-change) for big tables.',
  },
  'backward-incompatible': {
    severity: 'warning',
    title: 'Change that breaks the application version still running',
    why: 'During a deploy the old application code keeps running against the new schema: a dropped or renamed table or column makes its queries fail.',
    fix: 'Expand, then contract: first deploy code that no longer uses the old name (or writes both), then drop or rename in a later release.',
  },
  'missing-lock-timeout': {
    severity: 'warning',
    title: 'No lock timeout before a blocking lock',
    why: 'A statement waiting for its lock behind a long transaction makes every later query on the table queue behind it: the application stalls although the change itself is quick.',
    fix: "Start the migration with `SET lock_timeout = '5s'` (PostgreSQL) or `SET SESSION lock_wait_timeout = 5` (MySQL/MariaDB), and retry on timeout.",
  },
} as const satisfies Record<string, Omit<Rule, 'id'>>;

export type RuleId = keyof typeof RULES;

export function ruleList(): Rule[] {
  return (Object.keys(RULES) as RuleId[]).map((id) => ({ id, ...RULES[id] }));
}

const ALLOW_RE = /kiln-lint-allow:\s*([a-z-]+(?:\s*,\s*[a-z-]+)*)/g;

/** Rule ids accepted by `kiln-lint-allow: rule[, rule]` comments in a text. */
export function allowedRules(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(ALLOW_RE)) for (const id of m[1].split(',')) out.add(id.trim());
  return out;
}

const count = (n: number) => `${n.toLocaleString('en-US')} row${n === 1 ? '' : 's'}`;

/**
 * The rules over one run's statements, in order. `state` carries what earlier statements did
 * (tables created, a lock timeout set) across the migrations of one run: kiln runs them on one
 * connection.
 */
export class RuleState {
  private readonly created = new Set<string>();
  private readonly rebuilding = new Set<string>();
  private lockTimeout = false;
  /** `table\0constraint` -> column of a CHECK (column IS NOT NULL); `table\0column` proven by a validated one. */
  private readonly notNullChecks = new Map<string, string>();
  private readonly provenNotNull = new Set<string>();
  private lockTimeoutReported = false;

  constructor(private readonly context: LintContext) {}

  analyze(sql: string, reading: StatementReading, fileAllows: ReadonlySet<string>, transactional = this.context.transactional): AnalyzedStatement {
    const allows = new Set([...fileAllows, ...allowedRules(sql)]);
    const findings: Finding[] = [];
    const add = (rule: RuleId, message: string) => findings.push({ rule, severity: RULES[rule].severity, message, allowed: allows.has(rule) });
    for (const event of reading.events) this.event(event, add, transactional);
    const blocking = reading.locks.find((l) => l.queues && this.existing(l.table) !== null);
    if (blocking && !this.lockTimeout && !this.lockTimeoutReported) {
      this.lockTimeoutReported = true;
      add('missing-lock-timeout', `${blocking.mode} lock on "${blocking.table}" is requested with no lock timeout set`);
    }
    return { sql, ...reading, findings };
  }

  /** Rows of a table that exists before the run and was not created by it, else null. */
  private existing(table: string): number | null {
    if (this.created.has(table)) return null;
    return this.context.rows.get(table) ?? null;
  }

  private event(e: LintEvent, add: (rule: RuleId, message: string) => void, transactional: boolean): void {
    if (e.kind === 'lock-timeout') {
      this.lockTimeout = true;
      return;
    }
    if (e.kind === 'not-null-check') {
      this.notNullChecks.set(`${e.table}\0${e.constraint}`, e.column);
      return;
    }
    if (e.kind === 'validated') {
      const column = this.notNullChecks.get(`${e.table}\0${e.constraint}`);
      if (column !== undefined) this.provenNotNull.add(`${e.table}\0${column}`);
      return;
    }
    if (e.kind === 'create-table') {
      this.created.add(e.table);
      return;
    }
    if (e.kind === 'rebuild-copy') {
      this.rebuilding.add(e.table);
      return;
    }
    if (e.kind === 'drop-table' && this.rebuilding.delete(e.table)) return;
    if (e.kind === 'concurrently') {
      if (transactional) add('concurrently-in-transaction', `CONCURRENTLY on "${e.table}" runs inside kiln's transaction: PostgreSQL refuses it`);
      return;
    }
    const rows = this.existing(e.table);
    if (rows === null) return;
    const populated = rows > 0;
    switch (e.kind) {
      case 'drop-table':
        add('backward-incompatible', `drops table "${e.table}" (${count(rows)})`);
        break;
      case 'rename-table':
        add('backward-incompatible', `renames table "${e.table}" to "${e.to}"`);
        break;
      case 'drop-column':
        add('backward-incompatible', `drops column "${e.table}"."${e.column}"`);
        break;
      case 'rename-column':
        add('backward-incompatible', `renames column "${e.table}"."${e.column}" to "${e.to}"`);
        break;
      case 'index-build':
        if (populated && !e.online) add('blocking-index-build', `index "${e.index}" is built on "${e.table}" (${count(rows)}) while writes wait`);
        if (populated && e.unique) add('unique-over-duplicates', `unique index "${e.index}" on "${e.table}" (${count(rows)}) fails if duplicates exist`);
        break;
      case 'index-drop':
        if (!e.online) add('blocking-index-drop', `index "${e.index}" is dropped under ACCESS EXCLUSIVE on "${e.table}"`);
        break;
      case 'validate':
        if (populated) add('validation-under-lock', `${e.what} "${e.constraint}" is validated over ${count(rows)} of "${e.table}" under a lock`);
        break;
      case 'set-not-null':
        // A validated CHECK (col IS NOT NULL) is PostgreSQL 12+'s proof: no scan.
        if (populated && !this.provenNotNull.has(`${e.table}\0${e.column}`)) add('not-null-scan', `SET NOT NULL on "${e.table}"."${e.column}" scans ${count(rows)} under ACCESS EXCLUSIVE`);
        break;
      case 'add-column':
        if (populated && e.notNull && !e.hasDefault) add('not-null-without-default', `"${e.table}"."${e.column}" is NOT NULL with no default, and "${e.table}" holds ${count(rows)}`);
        if (populated && e.volatileDefault) add('volatile-default', `default ${e.volatileDefault} of "${e.table}"."${e.column}" rewrites ${count(rows)}`);
        break;
      case 'type-change':
        if (populated && e.rewrite) add('type-change-rewrite', `"${e.table}"."${e.column}" becomes ${e.to}: ${count(rows)} rewritten`);
        break;
      case 'table-copy':
        if (populated) add('table-copy', `"${e.table}" (${count(rows)}) is copied: ${e.why}`);
        break;
    }
  }
}
