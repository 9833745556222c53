import { model, trigger, Integer, Text } from 'kiln';

/**
 * The tutorial's event example: each time `body` changes, `edit_time` goes up by one. The
 * tutorial counts in an SQLAlchemy event listener; here the database counts, so every writer
 * (the app, a script, the shell) is counted alike. A change of another column leaves it alone.
 */
export const Draft = model('Draft', {
  id: Integer().primaryKey(),
  body: Text(),
  edit_time: Integer().default(0),
});

/**
 * PostgreSQL and MySQL/MariaDB count before the row is written (the new row's edit_time is set);
 * SQLite cannot change the new row, so there a trigger of its own counts with an UPDATE after it
 * (not recursive: that UPDATE leaves the body as it is).
 */
export const DraftEdited = trigger('draft_body_edited', {
  table: Draft,
  timing: 'before',
  events: ['update'],
  when: { postgres: 'OLD.body IS DISTINCT FROM NEW.body' },
  body: {
    postgres: 'BEGIN NEW.edit_time := COALESCE(OLD.edit_time, 0) + 1; RETURN NEW; END',
    mysql: 'BEGIN IF NOT (NEW.body <=> OLD.body) THEN SET NEW.edit_time = COALESCE(OLD.edit_time, 0) + 1; END IF; END',
  },
  dialects: ['postgres', 'mysql'],
});

export const DraftEditedSqlite = trigger('draft_body_edited_after', {
  table: Draft,
  timing: 'after',
  events: ['update'],
  of: ['body'],
  when: 'NEW.body IS NOT OLD.body',
  body: 'UPDATE draft SET edit_time = COALESCE(OLD.edit_time, 0) + 1 WHERE id = NEW.id;',
  dialects: ['sqlite'],
});
