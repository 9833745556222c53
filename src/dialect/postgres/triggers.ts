import type { Knex } from 'knex';
import { KilnError } from '../../errors';
import type { IntrospectOptions } from '../../introspect';
import type { Trigger, TriggerEvent } from '../../schema/types';
import { splitNames, type DialectTriggers } from '../triggers';
import { PROBE_PREFIX, probeName } from '../views';

const TRIGGERS_SQL = `
select t.tgname as name, c.relname as "table", pg_catalog.pg_get_triggerdef(t.oid) as definition,
  p.proname as function, p.prosrc as body, l.lanname = 'plpgsql' and p.pronargs = 0 and fn.nspname = n.nspname
    and (select count(*) from pg_catalog.pg_trigger o where o.tgfoid = t.tgfoid) = 1 as own_function,
  (select count(*) from pg_catalog.pg_trigger o where o.tgfoid = t.tgfoid)::int as users
from pg_catalog.pg_trigger t
join pg_catalog.pg_class c on c.oid = t.tgrelid
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
join pg_catalog.pg_proc p on p.oid = t.tgfoid
join pg_catalog.pg_namespace fn on fn.oid = p.pronamespace
join pg_catalog.pg_language l on l.oid = p.prolang
where n.nspname = coalesce(?::text, current_schema()) and not t.tgisinternal and c.relkind in ('r', 'p')
  and t.tgname not like '${PROBE_PREFIX}%'
  and not exists (select 1 from pg_catalog.pg_depend d where d.objid = t.oid and d.deptype = 'e')
order by t.tgname`;

const PROBES_SQL = `select t.tgname as name, pg_catalog.pg_get_triggerdef(t.oid) as definition from pg_catalog.pg_trigger t where t.tgname like '${PROBE_PREFIX}%'`;

/** `pg_get_triggerdef`'s statement, in the parts a model says. */
const SHAPE = /^CREATE TRIGGER (?:"(?:[^"]|"")+"|\S+) (BEFORE|AFTER) (.+?) ON .+? FOR EACH (ROW|STATEMENT)(?: WHEN \(([\s\S]*)\))? EXECUTE (?:FUNCTION|PROCEDURE) .+\(\)$/;

const q = (name: string): string => `"${name.replace(/"/g, '""')}"`;

interface TriggerRow {
  name: string;
  table: string;
  definition: string;
  function: string;
  body: string;
  own_function: boolean;
  /** The triggers that execute the same function (this one included). */
  users: number;
}

/**
 * PostgreSQL: a trigger executes a function; kiln creates `<trigger>_fn` (or the model's
 * `function`) in plpgsql with the model's body, and drops it with the trigger. The body
 * (`prosrc`) is kept as written; the trigger statement is `pg_get_triggerdef`'s, whose WHEN is
 * reprinted (probed for the models' triggers). A trigger whose function is not its own plpgsql
 * function without arguments, or that says what a model cannot (INSTEAD OF, TRUNCATE,
 * REFERENCING, constraint triggers), is unsayable: re-created from its statement, its function left alone.
 */
export const postgresTriggers: DialectTriggers = {
  async read(knex, options) {
    options.onQuery?.(TRIGGERS_SQL);
    const { rows } = (await knex.raw(TRIGGERS_SQL, [options.schema ?? null])) as { rows: TriggerRow[] };
    return rows.map(toTrigger);
  },
  async probe(knex, triggers, options) {
    const out = new Map<string, string>();
    const probed = triggers.filter((t) => t.when !== undefined);
    if (!probed.length) return out;
    try {
      await knex.transaction(async (trx) => {
        // CREATE TRIGGER locks its table against writes (SHARE ROW EXCLUSIVE) until the rollback:
        // on a busy server the probe must not queue behind a long transaction with every writer
        // queued behind it. It waits PROBE_LOCK_TIMEOUT at most and then fails, naming the table.
        await trx.raw(`set local lock_timeout = '${PROBE_LOCK_TIMEOUT}'`);
        const byProbe = new Map<string, string>();
        const statements = probed.map((t, i) => {
          const name = probeName(i);
          const table = options.schema ? `${q(options.schema)}.${q(t.table)}` : q(t.table);
          return [
            `create function pg_temp.${q(name)}() returns trigger language plpgsql as $kiln$begin return null; end$kiln$`,
            header({ ...t, name, function: undefined }, table, `pg_temp.${q(name)}`),
          ];
        });
        // All of them in one statement (one round trip, a count that does not grow with the
        // triggers); when one cannot be created now, the batch is undone and each is tried alone.
        if (await tryUnder(trx, [statements.flat().join(';\n')], options)) probed.forEach((t, i) => byProbe.set(probeName(i), t.name));
        else for (const [i, sql] of statements.entries()) if (await tryUnder(trx, sql, options)) byProbe.set(probeName(i), probed[i].name);
        if (byProbe.size) {
          const { rows } = (await trx.raw(PROBES_SQL)) as { rows: { name: string; definition: string }[] };
          for (const r of rows) {
            const when = SHAPE.exec(r.definition)?.[4];
            const name = byProbe.get(r.name);
            if (name !== undefined && when !== undefined) out.set(name, when);
          }
        }
        throw ROLLBACK;
      });
    } catch (e) {
      if (e instanceof KilnError) throw e;
      if (e !== ROLLBACK) return new Map(); // e.g. a read-only standby: compared as written
    }
    return out;
  },
  create(t) {
    const fn = t.function ? [functionStatement(t.function, t.body)] : [];
    return [...fn, t.sql ?? header(t, q(t.table), q(t.function ?? `${t.name}_fn`))];
  },
  drop(t) {
    return [`DROP TRIGGER ${q(t.name)} ON ${q(t.table)}`, ...(t.function ? [`DROP FUNCTION ${q(t.function)}()`] : [])];
  },
};

function header(t: Trigger, table: string, fn: string): string {
  const events = t.events.map((e) => (e === 'update' && t.of ? `UPDATE OF ${t.of.map(q).join(', ')}` : e.toUpperCase())).join(' OR ');
  const when = t.when !== undefined ? ` WHEN (${t.when})` : '';
  return `CREATE TRIGGER ${q(t.name)} ${t.timing.toUpperCase()} ${events} ON ${table} FOR EACH ${t.forEach.toUpperCase()}${when} EXECUTE FUNCTION ${fn}()`;
}

/** The function in a dollar quote whose tag the body does not hold. */
function functionStatement(name: string, body: string): string {
  let tag = '$kiln$';
  for (let n = 1; body.includes(tag); n++) tag = `$kiln${n}$`;
  return `CREATE FUNCTION ${q(name)}() RETURNS trigger LANGUAGE plpgsql AS ${tag}${body}${tag}`;
}

function toTrigger(r: TriggerRow): Trigger {
  const m = SHAPE.exec(r.definition);
  const unsayable = (why: string): Trigger => ({ name: r.name, table: r.table, timing: 'before', events: [], forEach: 'row', body: r.body, sql: r.definition, unsayable: why });
  if (!m) return unsayable('its statement says what a model cannot (INSTEAD OF, REFERENCING, a constraint trigger, arguments, ...)');
  if (!r.own_function && r.users > 1) return unsayable(`its function '${r.function}' is shared by ${r.users} triggers (a model's trigger owns its function)`);
  if (!r.own_function) return unsayable(`its function '${r.function}' is not a plpgsql function without arguments of the table's schema`);
  const events: TriggerEvent[] = [];
  let of: string[] | undefined;
  for (const part of m[2].split(' OR ')) {
    const update = /^UPDATE OF (.+)$/.exec(part);
    if (update) {
      of = splitNames(update[1]);
      events.push('update');
    } else if (part === 'INSERT' || part === 'UPDATE' || part === 'DELETE') events.push(part.toLowerCase() as TriggerEvent);
    else return unsayable(`its event ${part} is not one a model says`);
  }
  return {
    name: r.name,
    table: r.table,
    timing: m[1].toLowerCase() as Trigger['timing'],
    events: (['insert', 'update', 'delete'] as const).filter((e) => events.includes(e)),
    ...(of ? { of } : {}),
    forEach: m[3].toLowerCase() as Trigger['forEach'],
    ...(m[4] !== undefined ? { when: m[4] } : {}),
    body: r.body,
    function: r.function,
    sql: r.definition,
  };
}

const ROLLBACK = new Error('kiln: probe rolled back');

/** How long the probe waits for a table's lock (see probe). */
const PROBE_LOCK_TIMEOUT = '2s';

/** Runs one probe (its function and trigger: 2 statements) or the batch of all (1) under a savepoint; false when it cannot be created now. */
async function tryUnder(trx: Knex.Transaction, statements: readonly string[], options: IntrospectOptions): Promise<boolean> {
  await trx.raw('savepoint kiln_probe');
  try {
    for (const sql of statements) {
      options.onQuery?.(sql);
      await trx.raw(sql.replace(/\?/g, '\\?'));
    }
    await trx.raw('release savepoint kiln_probe');
    return true;
  } catch (e) {
    // A lock timeout in the batch (several tables) is tried again one trigger at a time, which names the table.
    if ((e as { code?: string }).code === '55P03' && statements.length === 2) {
      const table = /\bON\s+((?:"(?:[^"]|"")+"\.)?"(?:[^"]|"")+")/.exec(statements[statements.length - 1])?.[1] ?? 'its table';
      throw new KilnError('LOCKED', `could not compare the triggers: table ${table} stayed locked by another session for ${PROBE_LOCK_TIMEOUT} (comparing a trigger's condition creates it in a transaction that is rolled back, which needs a short write lock)`, {
        hint: 'run it again when the long transaction on that table has ended',
      });
    }
    await trx.raw('rollback to savepoint kiln_probe');
    return false;
  }
}
