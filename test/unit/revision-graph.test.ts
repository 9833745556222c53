/**
 * The revision graph (issue 15), pure: headers -> parents, forks, out-of-order pending files,
 * rows of squashed or moved files understood, a moved header that keeps the body hash.
 */
import type { AppliedMigration } from '../../src/runner/bookkeeping';
import type { MigrationFile } from '../../src/runner/files';
import { understandApplied } from '../../src/runner/history-rows';
import { buildGraph, divergenceError, findDivergence, isUneditedGenerated, moveHeader, parseHeader } from '../../src/runner/revision-graph';
import { renderMigration } from '../../src/render/migration';
import { column } from '../../src/schema/build';
import type { Table } from '../../src/schema/types';

const table = (name: string): Table => ({ name, columns: [column('id', 'integer', { nullable: false })], primaryKey: { name: `${name}_pkey`, columns: ['id'] }, indexes: [], uniques: [], foreignKeys: [] });
const file = (id: string): MigrationFile => ({ id, name: `${id}.ts`, path: `/m/${id}.ts` });
const generated = (id: string, revises: string | null, extra: { replaces?: string[]; movedFrom?: string[] } = {}) =>
  renderMigration({
    message: `msg ${id}`,
    revision: id,
    createdAt: new Date(0),
    dialect: 'sqlite',
    up: [{ kind: 'createTable', table: table(`t_${id}`) }],
    down: [],
    revises,
    hashBody: true,
    ...extra,
  });
const hand = (msg: string) => `/**\n * ${msg}\n */\nexport async function up() {}\n`;
const graphOf = (entries: [string, string][]) => buildGraph(entries.map(([id, source]) => ({ file: file(id), source })));
const row = (id: number, name: string): AppliedMigration => ({ id, name: `${name}.ts`, batch: 1, migrationTime: null });

describe('revision headers', () => {
  test('a generated migration records what it revises and its body hash; an edit breaks the hash', () => {
    const src = generated('2_b', '1_a');
    expect(src).toContain(' * Revises: 1_a\n');
    expect(parseHeader(src)).toMatchObject({ revises: '1_a', replaces: [], movedFrom: [] });
    expect(parseHeader(generated('1_a', null)).revises).toBeNull();
    expect(isUneditedGenerated(src)).toBe(true);
    expect(isUneditedGenerated(src.replace('createTable', 'createTableIfNotExists'))).toBe(false);
    expect(isUneditedGenerated(hand('x'))).toBe(false);
  });

  test('a message cannot forge the fields: the last occurrence (kiln writes its own after the message) wins', () => {
    const src = renderMigration({ message: 'Revises: evil', revision: '2_b', createdAt: new Date(0), dialect: 'sqlite', up: [], down: [], revises: '1_a' });
    expect(parseHeader(src).revises).toBe('1_a');
  });

  test('moveHeader renames the revision, sets Revises and Moved-from, keeps the body byte for byte', () => {
    const src = generated('2_b', '1_a');
    const moved = moveHeader(src, { revision: '9_b', revises: '3_c', movedFrom: ['2_b'] });
    expect(parseHeader(moved)).toMatchObject({ revises: '3_c', movedFrom: ['2_b'] });
    expect(moved).toContain(' * Revision: 9_b\n');
    expect(moved).not.toContain('Revision: 2_b');
    expect(isUneditedGenerated(moved)).toBe(true);
    const handMoved = moveHeader('export async function up() {}\n', { revision: '9_x', revises: '3_c', movedFrom: ['1_x'] });
    expect(parseHeader(handMoved)).toMatchObject({ revises: '3_c', movedFrom: ['1_x'] });
    expect(handMoved.endsWith('export async function up() {}\n')).toBe(true);
  });
});

describe('graph and divergence', () => {
  test('hand-written files are linear: no fork, parent = previous file', () => {
    const g = graphOf([['1_a', hand('a')], ['2_b', hand('b')], ['3_c', hand('c')]]);
    expect(g.nodes.map((n) => n.parent)).toEqual([null, '1_a', '2_b']);
    expect(findDivergence(g, ['1_a.ts', '2_b.ts', '3_c.ts'])).toBeNull();
  });

  test('two migrations generated against one parent are a fork naming both files', () => {
    const g = graphOf([['1_a', generated('1_a', null)], ['2_x', generated('2_x', '1_a')], ['3_y', generated('3_y', '1_a')]]);
    const d = findDivergence(g, []);
    expect(d).toMatchObject({ kind: 'fork', parent: '1_a' });
    expect(divergenceError(d!).message).toMatch(/2_x\.ts and 3_y\.ts were both generated against 1_a: run 'kiln db rebase'/);
  });

  test('a pending migration ordered before an applied one diverges, unless the applied one was moved by a rebase', () => {
    const g = graphOf([['1_a', hand('a')], ['2_old', hand('merged in')], ['3_c', hand('c')]]);
    expect(findDivergence(g, ['1_a.ts', '3_c.ts'])).toMatchObject({ kind: 'order', pending: { id: '2_old' }, applied: { id: '3_c' } });
    const moved = graphOf([['1_a', hand('a')], ['2_main', generated('2_main', '1_a')], ['3_b', generated('3_b', '2_main', { movedFrom: ['1_b'] })]]);
    expect(findDivergence(moved, ['1_a.ts', '3_b.ts'])).toBeNull();
  });

  test('Revises naming a squashed or moved revision resolves to its replacement (no fork)', () => {
    const g = graphOf([['1_squash', generated('1_squash', null, { replaces: ['1_a', '2_b'] })], ['3_c', generated('3_c', '2_b')]]);
    expect(g.nodes[1].parent).toBe('1_squash');
    expect(findDivergence(g, [])).toBeNull();
  });
});

describe('bookkeeping rows understood', () => {
  const squashed = graphOf([['1_squash', generated('1_squash', null, { replaces: ['1_a', '2_b', '3_c'] })], ['4_d', generated('4_d', '3_c')]]);

  test('a database past the squash: the last replaced row becomes the squash (its id kept), the others go', () => {
    const u = understandApplied(squashed, [row(1, '1_a'), row(2, '2_b'), row(3, '3_c'), row(4, '4_d')]);
    expect(u.applied.map((a) => [a.id, a.name])).toEqual([[3, '1_squash.ts'], [4, '4_d.ts']]);
    expect(u.renames).toEqual([{ id: 3, from: '3_c.ts', to: '1_squash.ts' }]);
    expect(u.deletes.map((d) => d.id).sort()).toEqual([1, 2]);
  });

  test('a database inside the squashed range is refused with one error naming the revision to reach', () => {
    expect(() => understandApplied(squashed, [row(1, '1_a'), row(2, '2_b')])).toThrow(/applied 2 of the migrations squashed into 1_squash\.ts but not 3_c/);
  });

  test('a row naming a moved file is renamed to the new file', () => {
    const g = graphOf([['1_a', hand('a')], ['5_b', generated('5_b', '1_a', { movedFrom: ['2_b'] })]]);
    const u = understandApplied(g, [row(1, '1_a'), row(2, '2_b')]);
    expect(u.applied.map((a) => a.name)).toEqual(['1_a.ts', '5_b.ts']);
    expect(u.renames).toEqual([{ id: 2, from: '2_b.ts', to: '5_b.ts' }]);
  });
});
