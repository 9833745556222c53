/** The databases kiln speaks. A fourth is one folder under src/dialect/ and one registry entry (docs/architecture.md). */
export type DialectName = 'sqlite' | 'postgres' | 'mysql';

