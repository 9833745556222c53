import type { DialectScratch } from '../scratch';
import { createServerScratch } from '../server-scratch';

/** A database created beside the configured one, with its character set and collation. */
export const mysqlScratch: DialectScratch = {
  create: (configured, raw) =>
    createServerScratch(
      {
        label: 'MySQL/MariaDB',
        create: async (knex, name) => {
          const [rows] = (await knex.raw(
            'SELECT DEFAULT_CHARACTER_SET_NAME AS cs, DEFAULT_COLLATION_NAME AS co FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = DATABASE()',
          )) as [{ cs: string; co: string }[]];
          const charset = rows[0] ? ` CHARACTER SET ${ident(rows[0].cs)} COLLATE ${ident(rows[0].co)}` : '';
          await knex.raw(`CREATE DATABASE \`${name}\`${charset}`);
        },
        drop: async (knex, name) => void (await knex.raw(`DROP DATABASE IF EXISTS \`${name}\``)),
      },
      configured,
      raw,
    ),
};

/** A character set or collation name as the server reported it: letters, digits and '_' only. */
function ident(name: string): string {
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`unexpected character set or collation '${name}'`);
  return name;
}
