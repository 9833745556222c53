/**
 * PostgreSQL `serial` columns that are not a lone key (part of a composite key, or no key): the
 * model language cannot say them (only a lone integer key auto-increments). They were read as
 * columns without a default, so a baseline (or a `down` re-creating the table) made plain
 * integer columns, their sequences and nextval() defaults gone, in silence: inserts without the
 * value then failed on a fresh database. Now each is kept as an unmanaged column option that
 * `db check` lists and that re-creates the sequence and the default with the table.
 */
import { withAdoption } from '../helpers/adoption';
import { kiln } from '../helpers/cli';
import { testDialects } from '../helpers/dialects';

jest.setTimeout(180000);

const SCHEMA = [
  'CREATE TABLE payment (payment_id serial, paid_at date NOT NULL, counter bigserial, amount numeric(5,2), PRIMARY KEY (payment_id, paid_at))',
  'CREATE TABLE "Audit Log" (id uuid PRIMARY KEY, "Seq" smallserial)',
];

const DEFAULTS = `SELECT c.relname AS t, a.attname AS col, pg_get_expr(d.adbin, d.adrelid) AS def,
  pg_get_serial_sequence(quote_ident(c.relname), a.attname) AS seq, format_type(s.seqtypid, NULL) AS seq_type
FROM pg_attrdef d JOIN pg_class c ON c.oid = d.adrelid JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
LEFT JOIN pg_sequence s ON s.seqrelid = pg_get_serial_sequence(quote_ident(c.relname), a.attname)::regclass
WHERE c.relnamespace = 'public'::regnamespace AND c.relname IN ('payment', 'Audit Log') ORDER BY 1, 2`;

describe.each(testDialects().filter((d) => d.name === 'postgres'))('serial columns that are not a lone key on $name', (dialect) => {
  test('pull and check name them; a baseline re-creates their sequences and defaults', () =>
    withAdoption(dialect, 2, {}, async ({ dir, dbs: [db, fresh] }) => {
      const env = { DATABASE_URL: db.url };
      const knex = db.connect();
      for (const sql of SCHEMA) await knex.raw(sql);
      const pulled = await kiln(['db', 'pull'], { cwd: dir, env });
      expect(pulled.code).toBe(0);
      expect(pulled.stderr).toContain("column option counter DEFAULT nextval('payment_counter_seq'::regclass) is not managed by kiln (kept as it is)");
      const check = await kiln(['db', 'check'], { cwd: dir, env });
      expect(check.code).toBe(0);
      expect(check.stdout).toContain('No new upgrade operations detected');
      expect(check.stdout).toContain("Unmanaged column option 'payment_id DEFAULT nextval('payment_payment_id_seq'::regclass)' on 'payment'");
      expect(check.stdout).toContain(`Unmanaged column option 'Seq DEFAULT nextval('"Audit Log_Seq_seq"'::regclass)' on 'Audit Log'`);

      expect((await kiln(['db', 'baseline', '-m', 'baseline'], { cwd: dir, env })).code).toBe(0);
      const up = await kiln(['db', 'upgrade'], { cwd: dir, env: { DATABASE_URL: fresh.url } });
      expect(up.stderr).toBe('');
      expect(up.code).toBe(0);
      const copy = fresh.connect();
      expect((await copy.raw(DEFAULTS)).rows).toEqual((await knex.raw(DEFAULTS)).rows);
      expect((await copy.raw(DEFAULTS)).rows.map((r: { seq_type: string }) => r.seq_type)).toEqual(['smallint', 'bigint', 'integer']);
      await copy('payment').insert([{ paid_at: '2024-01-01' }, { paid_at: '2024-01-02' }]);
      expect(await copy('payment').select('payment_id', 'counter').orderBy('payment_id')).toEqual([
        { payment_id: 1, counter: '1' },
        { payment_id: 2, counter: '2' },
      ]);
      const check2 = await kiln(['db', 'check'], { cwd: dir, env: { DATABASE_URL: fresh.url } });
      expect(check2.stdout).toContain('No new upgrade operations detected');
    }));
});
