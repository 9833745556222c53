import type { Knex } from 'knex';
import { ensureRow } from './_upsert';

// One-to-many: author.articles
export async function seed(knex: Knex): Promise<void> {
  const foo = await ensureRow(knex, 'author', { name: 'Foo' }, { phone: '123456' });
  await ensureRow(knex, 'article', { title: 'Spam', author_id: foo }, { body: 'A spam article.' });
  await ensureRow(knex, 'article', { title: 'Ham', author_id: foo }, { body: 'A ham article.' });
}
