import { model, Integer, Text } from 'kiln';

/**
 * The event example: each time body is set, edit_time goes up by one. The counting is the
 * application's business (see seeds/); the database only holds the default 0.
 */
export const Draft = model('Draft', {
  id: Integer().primaryKey(),
  body: Text(),
  edit_time: Integer().default(0),
});
