/**
 * Issue 12's triggers in the seeded random round trip (./generate.ts): a random schema
 * sometimes declares triggers on its tables: a guard that refuses a row with a key below -k
 * (SQLite RAISE, PostgreSQL a plpgsql function kiln creates, MySQL/MariaDB SIGNAL), before or
 * after an insert, update or delete, sometimes with a WHEN condition on SQLite and PostgreSQL
 * (PostgreSQL reprints it: db check goes through kiln's probe). They read only the key `id`, so
 * no column edit breaks one, and never fire on the generated rows (keys are positive). Edits add,
 * drop and change a trigger; a renamed table keeps its triggers, a dropped one takes them along.
 */
import type { Edit, Rng } from './generate';

export interface GTrigger {
  name: string;
  table: string;
  timing: 'before' | 'after';
  event: 'insert' | 'update' | 'delete';
  k: number;
  /** A WHEN condition on SQLite and PostgreSQL (MySQL/MariaDB test in the body). */
  when: boolean;
}

interface Schema {
  tables: { name: string }[];
  triggers?: GTrigger[];
}

const js = (v: unknown) => JSON.stringify(v);

/** The model source lines declaring the triggers (after the tables; `T<i>` are the tables' exports). */
export function triggerLines(s: Schema): string[] {
  return (s.triggers ?? []).map((t, i) => {
    const row = t.event === 'delete' ? 'OLD' : 'NEW';
    const test = `${row}.id < ${-t.k}`;
    const table = `T${s.tables.findIndex((x) => x.name === t.table)}`;
    const body = {
      sqlite: t.when ? `SELECT RAISE(ABORT, 'key below ${-t.k}');` : `SELECT RAISE(ABORT, 'key below ${-t.k}') WHERE ${test};`,
      postgres: t.when
        ? `BEGIN RAISE EXCEPTION 'key below ${-t.k}'; END`
        : `BEGIN IF ${test} THEN RAISE EXCEPTION 'key below ${-t.k}'; END IF; RETURN ${t.timing === 'after' ? 'NULL' : row}; END`,
      mysql: `BEGIN IF ${test} THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'key below ${-t.k}'; END IF; END`,
    };
    const when = t.when ? `, when: { sqlite: ${js(test)}, postgres: ${js(test)} }` : '';
    return `export const G${i} = trigger(${js(t.name)}, { table: ${table}, timing: ${js(t.timing)}, events: [${js(t.event)}]${when}, body: ${js(body)} });`;
  });
}

function freshTriggerName(rng: Rng, s: Schema): string {
  const taken = new Set((s.triggers ?? []).map((t) => t.name));
  for (;;) {
    const name = `tr${rng.int(0, 999)}`;
    if (!taken.has(name)) return name;
  }
}

function randomTrigger(rng: Rng, s: Schema): GTrigger {
  return {
    name: freshTriggerName(rng, s),
    table: rng.pick(s.tables).name,
    timing: rng.pick(['before', 'after'] as const),
    event: rng.pick(['insert', 'update', 'delete'] as const),
    k: rng.int(1, 9),
    when: rng.chance(0.4),
  };
}

/** Sometimes one or two triggers on a freshly generated schema. */
export function decorateTriggers(rng: Rng, s: Schema): void {
  if (!rng.chance(0.3)) return;
  s.triggers = [];
  for (let i = rng.int(1, 2); i > 0; i--) s.triggers.push(randomTrigger(rng, s));
}

/** The table edits' part: a renamed table keeps its triggers. */
export function renameInTriggers(s: Schema, old: string, name: string): void {
  for (const t of s.triggers ?? []) if (t.table === old) t.table = name;
}

/** The table edits' part: a dropped table takes its triggers along. */
export function dropTriggersOf(s: Schema, table: string): string[] {
  const gone = (s.triggers ?? []).filter((t) => t.table === table).map((t) => t.name);
  if (s.triggers) s.triggers = s.triggers.filter((t) => t.table !== table);
  return gone;
}

const none = (label: string): Omit<Edit, 'schema'> => ({ label, renames: [], touched: new Set(), tableRenames: {} });

export const TRIGGER_EDITS: Record<string, (rng: Rng, s: Schema) => Omit<Edit, 'schema'> | null> = {
  addTrigger(rng, s) {
    const t = randomTrigger(rng, s);
    s.triggers = [...(s.triggers ?? []), t];
    return none(`add trigger ${t.name} (${t.timing} ${t.event} on ${t.table}${t.when ? ', when' : ''})`);
  },
  dropTrigger(rng, s) {
    if (!s.triggers?.length) return null;
    const t = rng.pick(s.triggers);
    s.triggers = s.triggers.filter((x) => x !== t);
    return none(`drop trigger ${t.name}`);
  },
  changeTrigger(rng, s) {
    if (!s.triggers?.length) return null;
    const t = rng.pick(s.triggers);
    const how = rng.int(0, 2);
    if (how === 0) t.k = t.k === 9 ? 1 : t.k + 1;
    else if (how === 1) t.timing = t.timing === 'before' ? 'after' : 'before';
    else t.when = !t.when;
    return none(`trigger ${t.name} -> ${t.timing} ${t.event}, k ${t.k}${t.when ? ', when' : ''}`);
  },
};
