import type { DialectLint } from '../lint';

export const mysqlLint: DialectLint = {
  reader() {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('./lint') as typeof import('./lint')).loadMysqlReader();
  },
  async estimateRows(knex, tables) {
    const [rows] = (await knex.raw(
      `select TABLE_NAME as name, TABLE_ROWS as estimate from information_schema.TABLES
       where TABLE_SCHEMA = database() and TABLE_NAME in (${tables.map(() => '?').join(', ') || 'null'})`,
      [...tables],
    )) as [{ name: string; estimate: number | null }[]];
    return new Map(rows.filter((r) => r.estimate !== null).map((r) => [r.name, Number(r.estimate)]));
  },
};
