import { model, relationship, Integer, String } from 'kiln';

/** One-to-one: uselist false makes capital.country_id unique in the database. */
export const Country = model(
  'Country',
  {
    id: Integer().primaryKey(),
    name: String(70).unique(),
  },
  { relationships: { capital: relationship('Capital', { backPopulates: 'country', uselist: false }) } },
);

export const Capital = model(
  'Capital',
  {
    id: Integer().primaryKey(),
    name: String(70).unique(),
    country_id: Integer().references('country.id'),
  },
  { relationships: { country: relationship('Country', { backPopulates: 'capital' }) } },
);
