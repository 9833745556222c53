import { inspect } from 'node:util';
import type { Knex } from 'knex';
import type { Definition } from '../model/definition';
import type { Row } from '../model/row';
import type { Schema } from '../schema/types';
import type { RelationLink } from './relations';

/**
 * A model in the shell: `Note.query()` is `knex('note')` typed by the model's row, `Note.get(2)`
 * the row whose primary key is 2. Rows that come back through a model's query carry its
 * relationships as (hidden) attributes that are queries: `await author.articles`.
 */
export interface ShellModel<M extends Definition = Definition> {
  readonly name: string;
  readonly tableName: string;
  readonly definition: M;
  /** `knex('<table>')`, typed by the model. */
  query(): Knex.QueryBuilder<Row<M>, Row<M>[]>;
  /** The row whose (single-column) primary key is `id`, or undefined. */
  get(id: unknown): Promise<Row<M> | undefined>;
}

interface Models {
  readonly byName: ReadonlyMap<string, ShellModel>;
}

export function shellModels(defs: readonly Definition[], schema: Schema, links: ReadonlyMap<string, RelationLink[]>, knex: () => Knex): Models {
  const byName = new Map<string, ShellModel>();
  const tables = new Map(schema.tables.map((t) => [t.name, t]));
  const decorate = (modelName: string, value: unknown): void => {
    const list = links.get(modelName);
    if (!list?.length) return;
    for (const row of Array.isArray(value) ? value : [value]) {
      if (typeof row !== 'object' || row === null || Array.isArray(row)) continue;
      for (const link of list) {
        if (Object.prototype.hasOwnProperty.call(row, link.attr)) continue;
        Object.defineProperty(row, link.attr, { get: () => follow(link, row as Record<string, unknown>), enumerable: false, configurable: true });
      }
    }
  };
  const query = (def: Definition): Knex.QueryBuilder => {
    const qb = knex()(def.tableName);
    qb.on('query-response', (response: unknown) => decorate(def.name, response));
    return qb;
  };
  const follow = (link: RelationLink, row: Record<string, unknown>): Knex.QueryBuilder | undefined => {
    const target = byName.get(link.target);
    if (!target) return undefined;
    const qb = target.query() as Knex.QueryBuilder;
    if (link.through) {
      const { table, toSelf, toTarget } = link.through;
      const sub = knex()(table).select(toTarget.columns[0]).where(toSelf.columns[0], row[toSelf.refColumns[0]] as never);
      return qb.whereIn(toTarget.refColumns[0], sub);
    }
    for (const [col, rowCol] of link.on) qb.where(col, row[rowCol] as never);
    return link.returns === 'one' ? (qb.first() as unknown as Knex.QueryBuilder) : qb;
  };
  for (const def of defs) {
    if (def.kind !== 'model') continue;
    const pk = tables.get(def.tableName)?.primaryKey?.columns ?? [];
    const shell: ShellModel = {
      name: def.name,
      tableName: def.tableName,
      definition: def,
      query: () => query(def) as never,
      get: async (id: unknown) => {
        if (pk.length !== 1) throw new Error(`${def.name}.get(): table '${def.tableName}' has no single-column primary key; use ${def.name}.query().where(...)`);
        return (await query(def).where(pk[0], id as never).first()) as never;
      },
    };
    Object.defineProperty(shell, inspect.custom, {
      value: () => `[model ${def.name}: table '${def.tableName}'; ${def.name}.query(), ${def.name}.get(id)${linkList(links.get(def.name))}]`,
    });
    byName.set(def.name, Object.freeze(shell));
  }
  return { byName };
}

function linkList(links: readonly RelationLink[] | undefined): string {
  return links?.length ? `; rows have ${links.map((l) => `.${l.attr}`).join(', ')}` : '';
}
