import type { Knex } from 'knex';
import { ensureRow } from './_upsert';

export async function seed(knex: Knex): Promise<void> {
  for (const body of ['remember Sammy Jankis', 'SHAVE', "DON'T BELIEVE HIS LIES, HE IS THE ONE, KILL HIM"]) {
    await ensureRow(knex, 'note', { body });
  }
}
