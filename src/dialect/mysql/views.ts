import type { Knex } from 'knex';

import { PROBE_PREFIX, probeName, trimDefinition, type DialectViews } from '../views';

const VIEWS_SQL = `SELECT TABLE_NAME AS name, VIEW_DEFINITION AS definition, CHECK_OPTION AS check_option, SECURITY_TYPE AS security FROM information_schema.VIEWS
  WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME NOT LIKE '${PROBE_PREFIX}%' ORDER BY TABLE_NAME`;

/**
 * MySQL/MariaDB: `information_schema.VIEWS.VIEW_DEFINITION` is the stored form, with `*`
 * expanded and every name qualified by the database; the current database's qualifier is
 * removed (the definition then runs in any database of the same tables). DDL is not
 * transactional, so the probe creates each model view under a probe name, reads the stored
 * forms in one query and drops them all in one statement, whatever happened.
 */
export const mysqlViews: DialectViews = {
  async read(knex, options) {
    options.onQuery?.(VIEWS_SQL);
    // Counted too: onQuery reports every statement the introspection sends (benchmarks compare it with Knex's count).
    options.onQuery?.(DATABASE_SQL);
    const [rows, database] = await Promise.all([selectRows(knex, VIEWS_SQL), currentDatabase(knex)]);
    return rows.map((r) => {
      // WITH [LOCAL|CASCADED] CHECK OPTION and SQL SECURITY INVOKER: no model says them (DEFINER is the default).
      const unmanaged = [
        ...(r.check_option && r.check_option !== 'NONE' ? [`WITH ${r.check_option} CHECK OPTION`] : []),
        ...(r.security && r.security !== 'DEFINER' ? [`SQL SECURITY ${r.security}`] : []),
      ];
      return { name: r.name, definition: unqualified(r.definition, database), dependsOn: [], ...(unmanaged.length ? { unmanaged } : {}) };
    });
  },
  async probe(knex, views, options) {
    const out = new Map<string, string>();
    if (!views.length) return out;
    const created: string[] = [];
    try {
      // One CREATE VIEW per statement (no multi-statement connections), two at a time: a
      // hundred views cost a hundred round trips and file writes on the server, now in halves.
      let next = 0;
      const probeNext = async (): Promise<void> => {
        for (let i = next++; i < views.length; i = next++) {
          const sql = `CREATE VIEW \`${probeName(i)}\` AS ${views[i].definition}`;
          options.onQuery?.(sql);
          try {
            await knex.raw(sql);
            created.push(probeName(i));
          } catch {
            // cannot be created as the tables are now: compared as written
          }
        }
      };
      await Promise.all([probeNext(), probeNext()]);
      if (!created.length) return out;
      const database = await currentDatabase(knex);
      const rows = await selectRows(
        knex,
        `SELECT TABLE_NAME AS name, VIEW_DEFINITION AS definition FROM information_schema.VIEWS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN (${created.map(() => '?').join(', ')})`,
        created,
      );
      const byProbe = new Map(views.map((v, i) => [probeName(i), v.name]));
      for (const r of rows) {
        const name = byProbe.get(r.name);
        if (name !== undefined) out.set(name, unqualified(r.definition, database));
      }
      return out;
    } finally {
      if (created.length) await knex.raw(`DROP VIEW IF EXISTS ${created.map((n) => `\`${n}\``).join(', ')}`);
    }
  },
};

async function selectRows(knex: Knex, sql: string, bindings: readonly string[] = []): Promise<{ name: string; definition: string; check_option?: string; security?: string }[]> {
  const [rows] = (await knex.raw(sql, bindings as string[])) as [Record<string, string>[]];
  return rows.map((r) => ({ name: r.name ?? r.NAME, definition: r.definition ?? r.DEFINITION, check_option: r.check_option, security: r.security }));
}

const DATABASE_SQL = 'SELECT DATABASE() AS db';

async function currentDatabase(knex: Knex): Promise<string> {
  const [rows] = (await knex.raw(DATABASE_SQL)) as [{ db: string }[]];
  return rows[0]?.db ?? '';
}

/** The stored text without the current database's qualifier (`db`.`t`.`c` -> `t`.`c`). */
function unqualified(sql: string, database: string): string {
  if (!database) return trimDefinition(sql);
  const q = `\`${database.replace(/`/g, '``')}\`.`;
  return trimDefinition(sql.split(q).join(''));
}


