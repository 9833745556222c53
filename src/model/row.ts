import type { ColumnBuilder, ColumnState } from './column';
import type { Columns, Definition } from './definition';

/**
 * Row types inferred from a definition, keyed by database column name:
 * `type NoteRow = Row<typeof Note>` -> `{ id: number; body: string | null }`.
 */

type Simplify<T> = { [K in keyof T]: T[K] } & {};

type StateOf<C> = C extends ColumnBuilder<infer S> ? S : never;

type DbName<K, S extends ColumnState> = S['name'] extends string ? S['name'] : K;

type ValueOf<S extends ColumnState> = S['pk'] extends true
  ? S['t']
  : S['nullable'] extends false
    ? S['t']
    : S['t'] | null;

/** Optional on insert: nullable, has a default, or an auto-increment key. */
type IsOptional<S extends ColumnState> = S['def'] extends true
  ? true
  : S['pk'] extends true
    ? S['auto'] extends false
      ? false
      : true
    : S['nullable'] extends false
      ? false
      : true;

type ColumnsOf<M> = M extends Definition<infer C> ? C : never;

type RowOf<C extends Columns> = {
  [K in keyof C & string as DbName<K, StateOf<C[K]>>]: ValueOf<StateOf<C[K]>>;
};

type RequiredOf<C extends Columns> = {
  [K in keyof C & string as IsOptional<StateOf<C[K]>> extends true ? never : DbName<K, StateOf<C[K]>>]: ValueOf<
    StateOf<C[K]>
  >;
};

type OptionalOf<C extends Columns> = {
  [K in keyof C & string as IsOptional<StateOf<C[K]>> extends true ? DbName<K, StateOf<C[K]>> : never]?: ValueOf<
    StateOf<C[K]>
  >;
};

/** A row as the database returns it. */
export type Row<M extends Definition<any>> = Simplify<RowOf<ColumnsOf<M>>>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** What an insert needs: columns with a default, auto-increment or null allowed are optional. */
export type Insert<M extends Definition<any>> = Simplify<RequiredOf<ColumnsOf<M>> & OptionalOf<ColumnsOf<M>>>; // eslint-disable-line @typescript-eslint/no-explicit-any
