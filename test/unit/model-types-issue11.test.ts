/**
 * Type-level tests of issue 11's column types: `npx tsc -p tsconfig.json --noEmit` fails if an
 * inferred type is wrong (each `Expect<Equal<...>>` and `@ts-expect-error` line is checked by
 * the compiler). Numeric is a string as drivers return it; arrays are arrays of the element.
 */
import {
  Array, Binary, Char, Custom, DateTime, Decimal, Double, Integer, Jsonb, model, Numeric, Real, SmallInteger, String, Time, Uuid, VarBinary,
} from 'kiln';
import type { Insert, Row } from 'kiln';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectType<T extends true>(): T | void {}

const Shop = model('Shop', {
  id: Integer().primaryKey(),
  qty: SmallInteger().notNull(),
  price: Numeric(10, 2).notNull().default('9.90'),
  total: Decimal(12).default(0),
  ratio: Double(),
  weight: Real().notNull(),
  code: Char(3),
  ref: Uuid().notNull(),
  doc: Jsonb(),
  at: DateTime({ timezone: false, precision: 3 }).notNull(),
  opens: Time({ precision: 0 }),
  digest: Binary(16).notNull(),
  bytes: VarBinary(64),
  tags: Array(String(20)).notNull(),
  scores: Array(Integer()),
  amounts: Array(Numeric(10, 2)).notNull(),
  email: Custom('citext').notNull(),
  point: Custom<{ x: number; y: number }>('point'),
});

expectType<
  Equal<
    Row<typeof Shop>,
    {
      id: number;
      qty: number;
      price: string;
      total: string | null;
      ratio: number | null;
      weight: number;
      code: string | null;
      ref: string;
      doc: unknown;
      at: string | globalThis.Date;
      opens: string | null;
      digest: Buffer;
      bytes: Buffer | null;
      tags: string[];
      scores: number[] | null;
      amounts: string[];
      email: string;
      point: { x: number; y: number } | null;
    }
  >
>();

// @ts-expect-error numeric is a string in a row (drivers return '9.90'), not a number
expectType<Equal<Row<typeof Shop>['price'], number>>();
expectType<Equal<Insert<typeof Shop>['price'], string | undefined>>();

// A decimal default is a number or a decimal string; other defaults keep their column's type.
Numeric(10, 2).default(9.9);
Numeric(10, 2).default('9.90');
// @ts-expect-error a smallint default is a number
SmallInteger().default('1');
// @ts-expect-error a uuid default is a string
Uuid().default(1);

test('issue 11 row types compile (checked by tsc)', () => {
  expect(Shop.tableName).toBe('shop');
});
