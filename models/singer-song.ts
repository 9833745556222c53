import { model, relationship, Integer, String } from 'kiln';

/** One-to-many declared on one side with a backref: singer.songs / song.singer. */
export const Singer = model(
  'Singer',
  {
    id: Integer().primaryKey(),
    name: String(70).unique(),
  },
  { relationships: { songs: relationship('Song', { backref: 'singer' }) } },
);

export const Song = model('Song', {
  id: Integer().primaryKey(),
  name: String(50).index(),
  singer_id: Integer().references('singer.id'),
});
