/**
 * Type-level tests: `npx tsc -p tsconfig.json --noEmit` fails if an inferred type is wrong
 * (each `Expect<Equal<...>>` and `@ts-expect-error` line is checked by the compiler).
 */
import {
  BigInteger, Boolean, Date, DateTime, Float, Integer, Interval, JSON, LargeBinary, model, PickleType, String, table, Text, Time,
} from 'kiln';
import type { Insert, Row } from 'kiln';
import { Draft } from '../../models/draft';
import { association } from '../../models/student-teacher';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectType<T extends true>(): T | void {}

// The helper itself is a compile-time check: a false expectation does not compile (`npm run lint`
// runs tsc over the tests; if these lines compiled, the @ts-expect-error would fail instead).
// @ts-expect-error Equal<number, string> is false
expectType<Equal<number, string>>();

const Note = model('Note', { id: Integer().primaryKey(), body: Text() });
type NoteRow = Row<typeof Note>;
expectType<Equal<NoteRow, { id: number; body: string | null }>>();
// @ts-expect-error a nullable column is `string | null` in a row, not `string`
expectType<Equal<NoteRow, { id: number; body: string }>>();
expectType<Equal<Insert<typeof Note>, { id?: number; body?: string | null }>>();

const Everything = model('Everything', {
  id: BigInteger().primaryKey(),
  s: String(20).notNull(),
  t: Text().nullable(false),
  d: Date(),
  tm: Time().notNull(),
  dt: DateTime().defaultRaw('CURRENT_TIMESTAMP').notNull(),
  iv: Interval(),
  f: Float().default(1.5),
  b: Boolean().notNull().default(false),
  j: JSON(),
  p: PickleType().notNull(),
  bin: LargeBinary(),
  renamed: Integer().name('db_name').notNull(),
});

expectType<
  Equal<
    Row<typeof Everything>,
    {
      id: number;
      s: string;
      t: string;
      d: string | globalThis.Date | null;
      tm: string;
      dt: string | globalThis.Date;
      iv: string | null;
      f: number | null;
      b: boolean;
      j: unknown;
      p: unknown;
      bin: Buffer | null;
      db_name: number;
    }
  >
>();

expectType<
  Equal<
    Insert<typeof Everything>,
    {
      s: string;
      t: string;
      tm: string;
      p: unknown;
      db_name: number;
      id?: number;
      d?: string | globalThis.Date | null;
      dt?: string | globalThis.Date;
      iv?: string | null;
      f?: number | null;
      b?: boolean;
      j?: unknown;
      bin?: Buffer | null;
    }
  >
>();

// A string key must be given; an integer key that opts out of auto-increment too.
const Keys = model('Keys', { code: String(10).primaryKey(), n: Integer().notNull() });
expectType<Equal<Insert<typeof Keys>, { code: string; n: number }>>();
export const Manual = model('Manual', { id: Integer().primaryKey().autoIncrement(false) });
expectType<Equal<Insert<typeof Manual>, { id: number }>>();

// The example models.
expectType<Equal<Row<typeof Draft>, { id: number; body: string | null; edit_time: number | null }>>();
expectType<Equal<Insert<typeof Draft>, { id?: number; body?: string | null; edit_time?: number | null }>>();
expectType<Equal<Row<typeof association>, { student_id: number | null; teacher_id: number | null }>>();

// Defaults are typed by the column.
// @ts-expect-error a string default on an Integer
Integer().default('0');
// @ts-expect-error a boolean default on a String
String().default(true);
// @ts-expect-error a number default on a Boolean
Boolean().default(1);
// @ts-expect-error String's length is a number
String('20');
// @ts-expect-error an unknown referential action
Integer().references('note.id', { onDelete: 'EXPLODE' });
// @ts-expect-error columns must be builders
model('Bad', { id: 3 });
// @ts-expect-error a table's options have no relationships
table('t', { a: Integer() }, { relationships: {} });

describe('row types', () => {
  it('are checked by tsc --noEmit; at runtime a definition carries its table name', () => {
    expect([Note.tableName, Everything.tableName, Keys.tableName]).toEqual(['note', 'everything', 'keys']);
  });
});
