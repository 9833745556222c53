import { introspectOptionsOf } from '../introspect/config-options';
import type { ResolvedConfig } from '../config/load';
import { introspect } from '../introspect';
import { isRelationship } from '../model/relationship';
import { isDefinition } from '../model/definition';
import { collectDefinitions, loadModels } from '../model/load';
import { requireTs } from '../loader/require-ts';
import { openCatalog, openDatabase } from '../runner/database';
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
  // Catalog queries only: the driver alone where the dialect can (src/dialect/catalog.ts), else Knex.
  const db = (await openCatalog(config)) ?? (await openDatabase(config, { noCreate: true }));
  try {
    return await introspect(db.knex, db.url.dialect, introspectOptionsOf(config));
  } finally {
    await db.close().catch(() => undefined);
  }
}

/** The tables the models' relationships name as `secondary` (many-to-many association tables). */
function secondaryTables(files: readonly string[]): Set<string> {
  const definitions: unknown[] = [];
  // Already loaded by loadModels: requireTs returns the cached modules.
  for (const file of files) collectDefinitions(requireTs(file), definitions);
  const out = new Set<string>();
  for (const def of definitions) {
    if (!isDefinition(def)) continue;
    for (const rel of Object.values(def.relationships)) {
      const secondary = isRelationship(rel) ? rel.options.secondary : undefined;
      if (typeof secondary === 'string') out.add(secondary);
      else if (secondary && typeof secondary.tableName === 'string') out.add(secondary.tableName);
    }
  }
  return out;
}

/** The schema to draw: the models as written (no database needed), or the live database; and the declared association tables. */
export async function graphSchema(config: ResolvedConfig, fromDb: boolean): Promise<{ schema: Schema; associations: Set<string> }> {
  if (fromDb) return { schema: await databaseSchema(config), associations: new Set() };
  const { schema, files } = await loadModels(config.models);
  return { schema, associations: secondaryTables(files) };
}

/** `kiln db graph`: the diagram's text (Mermaid, DOT or SVG). */
export async function graph(input: GraphInput): Promise<string> {
  const { schema, associations } = await graphSchema(input.config, input.fromDb);
  return drawGraph(buildGraph(schema, input.tables, associations), input.format);
}
