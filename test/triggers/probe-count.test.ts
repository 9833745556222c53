/**
 * PostgreSQL reprints a trigger's WHEN, so `db check` creates each model trigger that has one
 * in a transaction it rolls back and reads the reprint (src/dialect/postgres/triggers.ts). The
 * probe sends a fixed number of statements however many triggers it probes (all in one batch),
 * and when one of them cannot be created now (its table is not there yet) it falls back to one
 * savepoint per trigger: the others are still read, and nothing is left behind.
 * bench/check.js --triggers measures 100 triggers on 1000 tables (docs/benchmarks.md).
 */
import { postgresTriggers } from '../../src/dialect/postgres/triggers';
import type { Trigger } from '../../src/schema/types';
import { freshDatabase } from '../helpers/databases';
import { testDialects } from '../helpers/dialects';

const guard = (i: number, table = `t${i}`): Trigger => ({
  name: `g${i}`,
  table,
  timing: 'before',
  events: ['update'],
  forEach: 'row',
  when: i % 2 ? 'NEW.qty < 0' : 'NEW.qty IS DISTINCT FROM OLD.qty',
  body: 'BEGIN RETURN NEW; END',
  function: `g${i}_fn`,
});

const postgres = testDialects().find((d) => d.name === 'postgres');

(postgres ? describe : describe.skip)('PostgreSQL trigger condition probe', () => {
  test('2 and 12 triggers with WHEN: the same number of statements; a missing table falls back to one at a time', async () => {
    const db = await freshDatabase(postgres!);
    const knex = db.connect();
    try {
      for (let i = 1; i <= 12; i++) await knex.raw(`create table t${i} (id integer primary key, qty integer not null)`);
      const probe = async (triggers: Trigger[]) => {
        let events = 0;
        let onQuery = 0;
        const counter = () => events++;
        knex.on('query', counter);
        try {
          const out = await postgresTriggers.probe(knex, triggers, { onQuery: () => onQuery++ });
          return { out, events, onQuery };
        } finally {
          knex.removeListener('query', counter);
        }
      };
      const range = (n: number) => Array.from({ length: n }, (_, i) => guard(i + 1));

      const two = await probe(range(2));
      const twelve = await probe(range(12));
      expect(twelve.events).toBe(two.events);
      expect(twelve.onQuery).toBe(two.onQuery);
      expect(two.onQuery).toBe(1);
      expect([...twelve.out.keys()].sort()).toEqual(range(12).map((t) => t.name).sort());
      expect(twelve.out.get('g1')).toBe('(new.qty < 0)');
      expect(twelve.out.get('g2')).toBe('(new.qty IS DISTINCT FROM old.qty)');
      expect(twelve.out.get('g11')).toBe(twelve.out.get('g1'));

      // g3's table does not exist: the batch fails, each is tried under its own savepoint.
      const fallback = await probe([guard(1), guard(3, 'nope'), guard(4)]);
      expect([...fallback.out.entries()].sort()).toEqual([
        ['g1', '(new.qty < 0)'],
        ['g4', '(new.qty IS DISTINCT FROM old.qty)'],
      ]);
      expect(fallback.onQuery).toBe(1 + 3 * 2);

      const left = await knex.raw("select count(*)::int as n from pg_catalog.pg_trigger where tgname like 'kiln\\_probe\\_%'");
      expect(left.rows[0].n).toBe(0);
      const fns = await knex.raw("select count(*)::int as n from pg_catalog.pg_proc where proname like 'kiln\\_probe\\_%'");
      expect(fns.rows[0].n).toBe(0);
    } finally {
      await db.cleanup();
    }
  }, 60_000);
});
