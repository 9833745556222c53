import type { Trigger, TriggerEvent } from '../../schema/types';
import { splitNames, type DialectTriggers } from '../triggers';

const TRIGGERS_SQL = `SELECT name, tbl_name AS tbl, sql FROM sqlite_master WHERE type = 'trigger' AND sql IS NOT NULL ORDER BY name`;

const NAME = String.raw`(?:"(?:[^"]|"")*"|\`(?:[^\`]|\`\`)*\`|\[[^\]]*\]|[^\s(]+)`;
/** `CREATE TRIGGER name [BEFORE|AFTER] event [OF cols] ON table [FOR EACH ROW] [WHEN cond] BEGIN body END`. */
const SHAPE = new RegExp(
  String.raw`^\s*CREATE\s+TRIGGER\s+(?:IF\s+NOT\s+EXISTS\s+)?${NAME}\s+(?:(BEFORE|AFTER)\s+)?(INSERT|DELETE|UPDATE)(?:\s+OF\s+(.+?))?\s+ON\s+${NAME}\s+(?:FOR\s+EACH\s+ROW\s+)?(?:WHEN\s+([\s\S]+?)\s+)?BEGIN\b([\s\S]*)\bEND\s*;?\s*$`,
  'i',
);

const q = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/**
 * SQLite stores a trigger's CREATE TRIGGER text as written (and rewrites the names in it when a
 * table or column is renamed): read and parsed into the model's terms, re-created from the text.
 * A TEMP trigger, INSTEAD OF (on a view) or a text the parse does not follow is unsayable.
 */
export const sqliteTriggers: DialectTriggers = {
  async read(knex, options) {
    options.onQuery?.(TRIGGERS_SQL);
    const rows = (await knex.raw(TRIGGERS_SQL)) as { name: string; tbl: string; sql: string }[];
    return rows.map((r) => parseTrigger(r.name, r.tbl, r.sql));
  },
  probe: () => Promise.resolve(new Map()),
  create(t) {
    if (t.sql) return [t.sql];
    const of = t.of ? ` OF ${t.of.map(q).join(', ')}` : '';
    const when = t.when !== undefined ? ` WHEN ${t.when}` : '';
    return [`CREATE TRIGGER ${q(t.name)} ${t.timing.toUpperCase()} ${t.events[0].toUpperCase()}${of} ON ${q(t.table)} FOR EACH ROW${when} BEGIN\n${t.body}\nEND`];
  },
  drop: (t) => [`DROP TRIGGER ${q(t.name)}`],
};

export function parseTrigger(name: string, table: string, sql: string): Trigger {
  const m = SHAPE.exec(sql);
  if (!m) return { name, table, timing: 'before', events: [], forEach: 'row', body: '', sql, unsayable: 'its statement is not one kiln reads (INSTEAD OF, TEMP, ...)' };
  const of = m[3] !== undefined ? splitNames(m[3].trim()) : undefined;
  return {
    name,
    table,
    timing: (m[1]?.toLowerCase() ?? 'before') as Trigger['timing'],
    events: [m[2].toLowerCase() as TriggerEvent],
    ...(of ? { of } : {}),
    forEach: 'row',
    ...(m[4] !== undefined ? { when: m[4].trim() } : {}),
    body: m[5].trim(),
    sql,
  };
}
