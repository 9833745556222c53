/** What a dialect decides about reading, planning and rendering a schema (see Dialect). */
export interface DialectGeneration {
  /** Knex's client name (`client: 'pg'`). */
  readonly knexClient: string;
}
