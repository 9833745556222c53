import type { ResolvedConfig } from '../config/load';
import { introspect } from '../introspect';
import { loadModels } from '../model/load';
import { openDatabase } from '../runner/database';
import { tablesLeftOut } from '../runner/bookkeeping';
import type { Schema } from '../schema/types';
import { buildGraph, drawGraph, type GraphFormat } from '../graph';

export interface GraphInput {
  readonly config: ResolvedConfig;
  /** Draw the live database (introspected) instead of the models. */
  readonly fromDb: boolean;
  readonly format: GraphFormat;
  /** Only these tables (and the keys between them). */
  readonly tables?: readonly string[];
}

/** The live database as a Schema, the bookkeeping tables left out; never creates a SQLite file. */
export async function databaseSchema(config: ResolvedConfig): Promise<Schema> {
  const db = await openDatabase(config, { noCreate: true });
  try {
    return await introspect(db.knex, db.url.dialect, { schema: config.schema, ignoreTables: tablesLeftOut(config.tableName) });
  } finally {
    await db.close().catch(() => undefined);
  }
}

/** The schema to draw: the models as written (no database needed), or the live database. */
export async function graphSchema(config: ResolvedConfig, fromDb: boolean): Promise<Schema> {
  if (fromDb) return databaseSchema(config);
  return (await loadModels(config.models)).schema;
}

/** `kiln db graph`: the diagram's text (Mermaid, DOT or SVG). */
export async function graph(input: GraphInput): Promise<string> {
  const schema = await graphSchema(input.config, input.fromDb);
  return drawGraph(buildGraph(schema, input.tables), input.format);
}
