import type { TriggerEvent } from '../../schema/types';
import type { DialectTriggers } from '../triggers';

// EVENT_OBJECT_SCHEMA (always the trigger's own) is the column MariaDB narrows its scan by: one database, not all.
const TRIGGERS_SQL = `SELECT TRIGGER_NAME AS name, EVENT_OBJECT_TABLE AS tbl, ACTION_TIMING AS timing, EVENT_MANIPULATION AS event,
  ACTION_ORIENTATION AS orientation, ACTION_STATEMENT AS body
  FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() AND EVENT_OBJECT_SCHEMA = DATABASE() ORDER BY TRIGGER_NAME`;

const q = (name: string): string => `\`${name.replace(/`/g, '``')}\``;

/**
 * MySQL/MariaDB: one event per trigger, no condition; `ACTION_STATEMENT` is the body as
 * written, compared textually. Re-created from the fields (the statement is the same).
 */
export const mysqlTriggers: DialectTriggers = {
  async read(knex, options) {
    options.onQuery?.(TRIGGERS_SQL);
    const [rows] = (await knex.raw(TRIGGERS_SQL)) as [Record<string, string>[]];
    return rows.map((r) => {
      const get = (k: string) => r[k] ?? r[k.toUpperCase()];
      return {
        name: get('name'),
        table: get('tbl'),
        timing: get('timing').toLowerCase() as 'before' | 'after',
        events: [get('event').toLowerCase() as TriggerEvent],
        forEach: 'row' as const,
        body: String(get('body')).trim(),
      };
    });
  },
  probe: () => Promise.resolve(new Map()),
  create: (t) => [`CREATE TRIGGER ${q(t.name)} ${t.timing.toUpperCase()} ${t.events[0].toUpperCase()} ON ${q(t.table)} FOR EACH ROW ${t.body}`],
  drop: (t) => [`DROP TRIGGER ${q(t.name)}`],
};
