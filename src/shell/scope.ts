import type { REPLServer } from 'node:repl';
import type { ResolvedConfig } from '../config/load';
import { KilnError, messageOf } from '../errors';
import { redact } from '../config/url';
import type { Schema } from '../schema/types';
import type { ShellConnection } from './connection';
import { loadShellModels } from './load-models';
import { shellModels } from './models';
import { relationLinks } from './relations';

/** What the shell puts in scope, and the model schema (for completion). */
export interface ShellScope {
  /** Property descriptors: `knex` is a getter, so Knex loads only when it is used. */
  readonly names: PropertyDescriptorMap;
  readonly schema: Schema;
}

/**
 * The shell's scope: `knex`, every model by name (ShellModel), then what the config's
 * `shellContext` returns (its names win, as Flask's shell context processors do).
 */
export async function shellScope(config: ResolvedConfig, conn: ShellConnection): Promise<ShellScope> {
  const { definitions, schema } = loadShellModels(config.models);
  const models = new Map(definitions.filter((d) => d.kind === 'model').map((d) => [d.name, d]));
  const { byName } = shellModels(definitions, schema, relationLinks(schema, models), () => conn.knex());
  const names: PropertyDescriptorMap = {
    knex: { get: () => conn.knex(), enumerable: true, configurable: true },
  };
  for (const [name, model] of byName) names[name] = { value: model, enumerable: true, configurable: true, writable: true };
  if (config.shellContext) {
    const scope = Object.defineProperties({}, names) as Record<string, unknown>;
    let extra: unknown;
    try {
      extra = await config.shellContext(Object.freeze(scope));
    } catch (e) {
      throw new KilnError('CONFIG', `shellContext in ${config.configFile ?? 'the config'} failed: ${redact(messageOf(e))}`, { cause: e });
    }
    if (extra !== undefined && (typeof extra !== 'object' || extra === null || Array.isArray(extra))) {
      throw new KilnError('CONFIG', `shellContext in ${config.configFile ?? 'the config'} must return an object of names, got ${Array.isArray(extra) ? 'an array' : typeof extra}`);
    }
    for (const [name, value] of Object.entries(extra ?? {})) names[name] = { value, enumerable: true, configurable: true, writable: true };
  }
  return { names, schema };
}

/** Puts the scope's names in a REPL's context, again after `.clear`. */
export function applyScope(server: REPLServer, scope: ShellScope): void {
  Object.defineProperties(server.context, scope.names);
  server.on('reset', (context: object) => Object.defineProperties(context, scope.names));
}
