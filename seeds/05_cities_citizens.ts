import type { Knex } from 'knex';
import { ensureRow } from './_upsert';

// Many-to-one: citizen.city
export async function seed(knex: Knex): Promise<void> {
  const dalian = await ensureRow(knex, 'city', { name: '大连' });
  await ensureRow(knex, 'citizen', { name: 'wuhan' }, { city_id: dalian });
  await ensureRow(knex, 'citizen', { name: 'wuyanzu' }, { city_id: dalian });
}
