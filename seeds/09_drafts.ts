import type { Knex } from 'knex';
import { ensureRow } from './_upsert';

export async function seed(knex: Knex): Promise<void> {
  await ensureRow(knex, 'draft', { body: 'init' }, { edit_time: 0 });
  // The tutorial's event: a draft written once and edited twice. Nobody sets edit_time: the
  // database's trigger counts the two changes of body (models/draft.ts), so it reads 2.
  if (!(await knex('draft').where({ body: 'edited twice' }).first('id'))) {
    const id = await ensureRow(knex, 'draft', { body: 'written once' });
    await knex('draft').where({ id }).update({ body: 'edited once' });
    await knex('draft').where({ id }).update({ body: 'edited twice' });
  }
}
