import type { Knex } from 'knex';

/**
 * Seeds are idempotent: each row is looked up by what identifies it and inserted only when
 * missing, so running `kiln db seed` twice leaves the same rows and breaks no unique rule.
 * (Files starting with `_` are helpers, not seeds.)
 */
export async function ensureRow(
  knex: Knex,
  table: string,
  match: Record<string, unknown>,
  values: Record<string, unknown> = {},
): Promise<number> {
  const found = await knex(table).where(match).first('id');
  if (found) return Number(found.id);
  const [inserted] = await knex(table).insert({ ...match, ...values }, ['id']);
  const id = typeof inserted === 'object' && inserted !== null ? (inserted as { id: number }).id : inserted;
  if (id !== undefined && id !== null) return Number(id);
  const row = await knex(table).where(match).first('id');
  return Number(row.id);
}

/** For tables without an id (the association table): insert the pair unless present. */
export async function ensureLink(knex: Knex, table: string, row: Record<string, unknown>): Promise<void> {
  const found = await knex(table).where(row).first();
  if (!found) await knex(table).insert(row);
}
