import { model, relationship, Integer, String } from 'kiln';

/** A bidirectional one-to-many with back_populates: writer.books / book.writer. */
export const Writer = model(
  'Writer',
  {
    id: Integer().primaryKey(),
    name: String(70).unique(),
  },
  { relationships: { books: relationship('Book', { backPopulates: 'writer' }) } },
);

export const Book = model(
  'Book',
  {
    id: Integer().primaryKey(),
    title: String(50).index(),
    writer_id: Integer().references('writer.id'),
  },
  { relationships: { writer: relationship('Writer', { backPopulates: 'books' }) } },
);
