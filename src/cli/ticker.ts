import type { Progress } from '../app/progress';
import type { Activity } from '../public/activity';
import { escapeForTerminal } from './terminal';

/**
 * The progress of a running upgrade/downgrade: which migration and statement, for how long, and
 * how many rows a table rebuild copied. On a terminal, one status line on stderr, redrawn in
 * place while a statement runs longer than a second; without one (CI logs), a plain line on
 * stdout once a statement has run `KILN_PROGRESS_AFTER` seconds (default 10), then every three
 * times that. Fast runs print nothing more than before.
 */
export class Ticker {
  private statement: { migration: string; index: number; sql: string; since: number; printed: number } | null = null;
  private rows: { table: string; copied: number; total: number; since: number; printed: number } | null = null;
  private shown = false;
  private timer: NodeJS.Timeout | null = null;
  private readonly afterMs: number;

  constructor(
    private readonly tty: boolean,
    private readonly status: (text: string) => void,
    private readonly line: (text: string) => void,
    now: () => number = Date.now,
  ) {
    const env = Number(process.env.KILN_PROGRESS_AFTER);
    this.afterMs = Number.isFinite(env) && env >= 0 && process.env.KILN_PROGRESS_AFTER !== '' ? env * 1000 : tty ? 1000 : 10_000;
    this.now = now;
  }

  private readonly now: () => number;

  on(a: Activity): void {
    switch (a.kind) {
      case 'statement':
        this.statement = { migration: a.migration, index: a.index, sql: a.sql, since: this.now(), printed: 0 };
        this.start();
        break;
      case 'statement-done':
        this.statement = null;
        if (!this.rows) this.clear();
        break;
      case 'rows': {
        const same = this.rows?.table === a.table;
        const since = same ? this.rows!.since : this.now();
        this.rows = { table: a.table, copied: a.copied, total: a.total, since, printed: same ? this.rows!.printed : 0 };
        if (a.copied >= a.total) {
          // The copy is over: a log that heard of it (or would have by now) hears the end too.
          if (!this.tty && (this.rows.printed || this.now() - since >= this.afterMs)) this.line(this.describe(this.now()));
          this.rows = null;
          this.clear();
        } else {
          this.start();
          // Each chunk is news: reported at once when due, not only at the next tick.
          if (a.copied > 0) this.tick();
        }
        break;
      }
      case 'end':
        this.stop();
        break;
    }
  }

  /** Removes the status line (before other output, or at the end). */
  clear(): void {
    if (this.shown) this.status('\r\x1b[2K');
    this.shown = false;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.statement = null;
    this.rows = null;
    this.clear();
  }

  private start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), this.tty ? 250 : Math.max(100, Math.min(1000, this.afterMs / 2)));
    this.timer.unref();
  }

  private tick(): void {
    const now = this.now();
    const s = this.statement;
    const r = this.rows;
    if (!s && !r) return;
    const since = r?.since ?? s!.since;
    if (now - since < this.afterMs) return;
    const text = this.describe(now);
    if (this.tty) {
      const width = process.stderr.columns || 100;
      this.status(`\r\x1b[2K${escapeForTerminal(text).slice(0, Math.max(20, width - 1))}`);
      this.shown = true;
      return;
    }
    const target = r ?? s!;
    if (target.printed && now - target.printed < this.afterMs * 3) return;
    target.printed = now;
    this.line(text);
  }

  private describe(now: number): string {
    const s = this.statement;
    const r = this.rows;
    const secs = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)}s`;
    const where = s ? `${s.migration}, statement ${s.index}` : '';
    if (r) {
      const pct = r.total ? Math.floor((r.copied / r.total) * 100) : 100;
      return `  ${where ? `${where}: ` : ''}copied ${r.copied.toLocaleString('en-US')} of ${r.total.toLocaleString('en-US')} rows of "${r.table}" (${pct}%, ${secs(now - r.since)})`;
    }
    const sql = s!.sql.replace(/\s+/g, ' ').trim();
    return `  ${where} running for ${secs(now - s!.since)}: ${sql.length > 120 ? `${sql.slice(0, 119)}…` : sql}`;
  }
}

/** What `db upgrade`/`downgrade` report through: lines on stdout, warnings on stderr, a Ticker for the activity. */
export function tickingProgress(line: (text: string) => void): Progress {
  const ticker = new Ticker(Boolean(process.stderr.isTTY), (s) => process.stderr.write(s), line);
  return {
    line: (l) => {
      ticker.clear();
      line(l);
    },
    warn: (w) => {
      ticker.clear();
      process.stderr.write(`warning: ${w}\n`);
    },
    activity: (a) => ticker.on(a),
  };
}
