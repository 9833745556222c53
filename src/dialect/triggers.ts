import type { Knex } from 'knex';
import type { IntrospectOptions } from '../introspect';
import type { Trigger } from '../schema/types';

/**
 * How a dialect reads triggers, renders their statements and renders a model's condition its
 * own way (issue 12 item 2). SQLite keeps a trigger's text as written and MySQL/MariaDB keep
 * the body as written (they have no condition): compared textually (src/schema/trigger-sql).
 * PostgreSQL reprints a trigger's WHEN: `probe` creates each model trigger that has one in a
 * rolled-back transaction and reads the reprint back; the function body (`prosrc`) is as written.
 */
export interface DialectTriggers {
  /** The database's triggers (not internal ones), in one catalog query. */
  read(knex: Knex, options: IntrospectOptions): Promise<Trigger[]>;
  /** The database's rendering of each model trigger's condition, by trigger name, where it could ask. Leaves nothing behind. */
  probe(knex: Knex, triggers: readonly Trigger[], options: IntrospectOptions): Promise<Map<string, string>>;
  /** The statements that create the trigger (PostgreSQL: its function first): the database's own statement when read from it. */
  create(trigger: Trigger): string[];
  /** The statements that drop it (PostgreSQL: its function after). */
  drop(trigger: Trigger): string[];
}

/** Splits `a, "b c", d` (a list of possibly double-quoted names) into names. */
export function splitNames(list: string, quote = '"'): string[] {
  const out: string[] = [];
  const re = new RegExp(`\\s*(?:${quote}((?:[^${quote}]|${quote}${quote})*)${quote}|([^,\\s]+))\\s*(?:,|$)`, 'gy');
  let m: RegExpExecArray | null;
  while (re.lastIndex < list.length && (m = re.exec(list))) {
    out.push(m[1] !== undefined ? m[1].split(quote + quote).join(quote) : m[2]);
    if (m[0] === '') break;
  }
  return out;
}
