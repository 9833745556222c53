import { model, relationship, Integer, String, Text } from 'kiln';

/** One-to-many: an author has many articles (author.articles). */
export const Author = model(
  'Author',
  {
    id: Integer().primaryKey(),
    name: String(70).unique(),
    phone: String(20),
  },
  { relationships: { articles: relationship('Article') } },
);

export const Article = model('Article', {
  id: Integer().primaryKey(),
  title: String(50).index(),
  body: Text(),
  author_id: Integer().references('author.id'),
});
