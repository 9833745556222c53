/** The databases kiln speaks. A fourth (e.g. CockroachDB) is one introspector + type rules. */
export type DialectName = 'sqlite' | 'postgres' | 'mysql';

