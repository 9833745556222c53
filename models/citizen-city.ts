import { model, relationship, Integer, String } from 'kiln';

/** Many-to-one: citizen.city. */
export const Citizen = model(
  'Citizen',
  {
    id: Integer().primaryKey(),
    name: String(70).unique(),
    city_id: Integer().references('city.id'),
  },
  { relationships: { city: relationship('City') } },
);

export const City = model('City', {
  id: Integer().primaryKey(),
  name: String(30).unique(),
});
