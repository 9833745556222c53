import type { Knex } from 'knex';
import { ensureRow } from './_upsert';

// One-to-one (uselist=False): country.capital / capital.country
export async function seed(knex: Knex): Promise<void> {
  const china = await ensureRow(knex, 'country', { name: 'China' });
  await ensureRow(knex, 'capital', { name: 'Beijing' }, { country_id: china });
}
