import type { Knex } from 'knex';
import { ensureRow } from './_upsert';

// One-to-many with backref: singer.songs / song.singer
export async function seed(knex: Knex): Promise<void> {
  const jay = await ensureRow(knex, 'singer', { name: 'Jay Chou' });
  await ensureRow(knex, 'song', { name: 'Nocturne', singer_id: jay });
  await ensureRow(knex, 'song', { name: 'Rice Field', singer_id: jay });
  const faye = await ensureRow(knex, 'singer', { name: 'Faye Wong' });
  await ensureRow(knex, 'song', { name: 'Red Bean', singer_id: faye });
}
