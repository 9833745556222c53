import type { Knex } from 'knex';
import { ensureRow } from './_upsert';

export async function seed(knex: Knex): Promise<void> {
  await ensureRow(knex, 'draft', { body: 'init' }, { edit_time: 0 });
}
