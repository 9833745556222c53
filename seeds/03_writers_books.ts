import type { Knex } from 'knex';
import { ensureRow } from './_upsert';

// Bidirectional one-to-many (back_populates): writer.books / book.writer
export async function seed(knex: Knex): Promise<void> {
  const king = await ensureRow(knex, 'writer', { name: 'Stephen King' });
  await ensureRow(knex, 'book', { title: 'Carrie', writer_id: king });
  await ensureRow(knex, 'book', { title: 'IT', writer_id: king });
}
