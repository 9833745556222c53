import { model, Integer, Text } from 'kiln';

/** A note: the first model of the tutorial. */
export const Note = model('Note', {
  id: Integer().primaryKey(),
  body: Text(),
});
