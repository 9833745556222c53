import type { DialectViews } from '../views';
import { trimDefinition } from '../views';

const VIEWS_SQL = `SELECT name, sql FROM sqlite_master WHERE type = 'view' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name`;

/** `CREATE [TEMP] VIEW [IF NOT EXISTS] name [(columns)] AS ` before the SELECT. */
const HEAD = /^\s*CREATE\s+(?:TEMP(?:ORARY)?\s+)?VIEW\s+(?:IF\s+NOT\s+EXISTS\s+)?(?:"(?:[^"]|"")*"|`(?:[^`]|``)*`|\[[^\]]*\]|[^\s(]+)\s*(\((?:[^()"]|"(?:[^"]|"")*")*\))?\s*AS\s+/i;

/**
 * SQLite keeps a view's CREATE VIEW text as written: the definition is the text after `AS`
 * (compared textually, see src/schema/view-sql). A view with a column list keeps it in front
 * (`(a, b) AS ...` is not a SELECT): read as is, its definition includes the head so that it
 * differs from any model's and is never mistaken for one. No probe: the text is the form.
 */
export const sqliteViews: DialectViews = {
  async read(knex, options) {
    options.onQuery?.(VIEWS_SQL);
    const rows = (await knex.raw(VIEWS_SQL)) as { name: string; sql: string }[];
    return rows.map((r) => {
      const head = HEAD.exec(r.sql);
      const definition = head && !head[1] ? r.sql.slice(head[0].length) : r.sql;
      return { name: r.name, definition: trimDefinition(definition), dependsOn: [] };
    });
  },
  probe: () => Promise.resolve(new Map()),
};
