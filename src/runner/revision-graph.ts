import * as fs from 'node:fs';
import { KilnError } from '../errors';
import { bodyDigest } from '../render/migration';
import type { MigrationFile } from './files';

/**
 * The revision graph of a migrations folder, pure: built from file names and header text.
 *
 * A generated migration's header names the revision it was generated against
 * (` * Revises: <id>`, `base` for the first); a hand-written one without the line is linear
 * (its parent is the previous file by name). `db squash` writes ` * Replaces: a, b` and
 * `db rebase` ` * Moved-from: old`: the ids a database's bookkeeping rows may still name, and
 * aliases a `Revises:` may name. Knex ignores comments, so none of this changes what Knex runs.
 */
export interface RevisionHeader {
  /** Declared parent: an id, null for `base`, undefined when the header has no `Revises:`. */
  readonly revises: string | null | undefined;
  readonly replaces: readonly string[];
  readonly movedFrom: readonly string[];
  /** `Body-SHA256:` as written when it was generated (undefined: hand-written or no hash). */
  readonly bodyHash: string | undefined;
}

export interface RevisionNode {
  readonly file: MigrationFile;
  readonly header: RevisionHeader;
  /** The parent's id (resolved through aliases), null at base. */
  readonly parent: string | null;
}

export interface RevisionGraph {
  readonly nodes: readonly RevisionNode[];
  readonly byId: ReadonlyMap<string, RevisionNode>;
  /** Parents with more than one child: [parent id or null, children in name order]. */
  readonly forks: readonly (readonly [string | null, readonly RevisionNode[]])[];
}

/** The first block comment of a module (kiln's header), or ''. */
export function headerComment(source: string): string {
  const m = /^\s*\/\*[\s\S]*?\*\//.exec(source);
  return m ? m[0] : '';
}

/** The last value of ` * Key: value` in the header (kiln writes its fields after the message). */
function field(header: string, key: string): string | undefined {
  const re = new RegExp(`^\\s*\\*\\s*${key}:[ \\t]*(.*)$`, 'gm');
  let value: string | undefined;
  for (let m = re.exec(header); m; m = re.exec(header)) value = m[1].trim();
  return value;
}

const list = (v: string | undefined) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : []);

export function parseHeader(source: string): RevisionHeader {
  const header = headerComment(source);
  const revises = field(header, 'Revises');
  return {
    revises: revises === undefined || revises === '' ? undefined : revises === 'base' ? null : revises,
    replaces: list(field(header, 'Replaces')),
    movedFrom: list(field(header, 'Moved-from')),
    bodyHash: field(header, 'Body-SHA256'),
  };
}

/** The text after the header comment (what Body-SHA256 covers). */
export function bodyOf(source: string): string {
  const header = headerComment(source);
  return header ? source.slice(source.indexOf(header) + header.length).replace(/^\r?\n/, '') : source;
}

/** True when the file is a generated migration nobody edited since (its body hash holds). */
export function isUneditedGenerated(source: string): boolean {
  const { bodyHash } = parseHeader(source);
  return bodyHash !== undefined && bodyDigest(bodyOf(source)) === bodyHash;
}

/** Builds the graph from files (in name order) and their header text. */
export function buildGraph(files: readonly { readonly file: MigrationFile; readonly source: string }[]): RevisionGraph {
  const alias = new Map<string, string>();
  for (const { file, source } of files) {
    const h = parseHeader(source);
    for (const old of [...h.replaces, ...h.movedFrom]) alias.set(old, file.id);
  }
  for (const { file } of files) alias.set(file.id, file.id);
  const nodes: RevisionNode[] = [];
  const byId = new Map<string, RevisionNode>();
  const children = new Map<string | null, RevisionNode[]>();
  files.forEach(({ file, source }, i) => {
    const header = parseHeader(source);
    const previous = i > 0 ? files[i - 1].file.id : null;
    // A declared parent that is no file (nor alias of one) reads as linear, as a hand-written file.
    const declared = header.revises === undefined ? undefined : header.revises === null ? null : alias.get(header.revises);
    const parent = declared === undefined || declared === file.id ? previous : declared;
    const node = { file, header, parent };
    nodes.push(node);
    byId.set(file.id, node);
    children.set(parent, [...(children.get(parent) ?? []), node]);
  });
  const forks = [...children].filter(([, c]) => c.length > 1);
  return { nodes, byId, forks };
}

/** The first bytes of each file are enough for the header. */
const HEAD_BYTES = 4096;

function readHead(file: MigrationFile): string {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file.path, 'r');
    const buf = Buffer.alloc(HEAD_BYTES);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n).toString('utf8');
  } catch (e) {
    throw new KilnError('MIGRATION_FILE', `cannot read migration ${file.name}: ${(e as Error).message}`, { cause: e });
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** The graph of the files on disk (headers only). */
export function readGraph(files: readonly MigrationFile[]): RevisionGraph {
  return buildGraph(files.map((file) => ({ file, source: readHead(file) })));
}

/** Where the history is not one line a database can follow. */
export type Divergence =
  | { readonly kind: 'fork'; readonly parent: string | null; readonly files: readonly MigrationFile[] }
  | { readonly kind: 'order'; readonly pending: MigrationFile; readonly applied: MigrationFile };

/**
 * Two migrations generated against one parent, or a pending migration ordered before an applied
 * one. An applied migration that `db rebase` moved (Moved-from) may sit after pending ones: a
 * database that applied it on its branch then applies what it lacks (the rebase regenerated it
 * on top of them, or told what to check).
 */
export function findDivergence(graph: RevisionGraph, applied: readonly string[]): Divergence | null {
  if (graph.forks.length) {
    const [parent, kids] = graph.forks[0];
    return { kind: 'fork', parent, files: kids.map((n) => n.file) };
  }
  const done = new Set(applied);
  const nodes = graph.nodes;
  for (let i = 0; i < nodes.length; i++) {
    if (done.has(nodes[i].file.name)) continue;
    const later = nodes.slice(i + 1).find((n) => done.has(n.file.name) && n.header.movedFrom.length === 0);
    if (later) return { kind: 'order', pending: nodes[i].file, applied: later.file };
  }
  return null;
}

export const REBASE_HINT = "run 'kiln db rebase' (alias 'kiln db merge') to move the merged-in migration after the head";

export function divergenceError(d: Divergence): KilnError {
  if (d.kind === 'fork') {
    const names = d.files.map((f) => f.name);
    return new KilnError('HISTORY', `history diverged: ${names.slice(0, -1).join(', ')} and ${names[names.length - 1]} were both generated against ${d.parent ?? 'base'}: ${REBASE_HINT}`);
  }
  return new KilnError('HISTORY', `history diverged: pending migration ${d.pending.name} is ordered before applied migration ${d.applied.name}: ${REBASE_HINT}`);
}

/** Throws the divergence of the folder against the applied names, if any. */
export function assertLinear(files: readonly MigrationFile[], applied: readonly string[]): void {
  const d = findDivergence(readGraph(files), applied);
  if (d) throw divergenceError(d);
}

/**
 * The source with its header naming a new revision and parent, and the revisions it was moved
 * from (`db rebase`): the body is kept byte for byte, so a Body-SHA256 still holds. A file
 * without a header comment gets one.
 */
export function moveHeader(source: string, fields: { readonly revision: string; readonly revises: string | null; readonly movedFrom: readonly string[] }): string {
  const clean = (v: string) => v.replace(/[\r\n\u2028\u2029]/g, ' ').replace(/\*\//g, '*\\/');
  const lines = [` * Revises: ${clean(fields.revises ?? 'base')}`, ` * Moved-from: ${fields.movedFrom.map(clean).join(', ')}`];
  const header = headerComment(source);
  if (!header || !header.includes('\n')) return `/**\n * Revision: ${clean(fields.revision)}\n${lines.join('\n')}\n */\n${source}`;
  const kept = header.split('\n').filter((l) => !/^\s*\*\s*(Revises|Moved-from):/.test(l));
  const at = kept.map((l) => /^\s*\*\s*Revision:/.test(l)).lastIndexOf(true);
  if (at >= 0) kept[at] = ` * Revision: ${clean(fields.revision)}`;
  const insertAt = at >= 0 ? at + 1 : kept.length - 1;
  kept.splice(insertAt, 0, ...(at >= 0 ? [] : [` * Revision: ${clean(fields.revision)}`]), ...lines);
  const start = source.indexOf(header);
  return source.slice(0, start) + kept.join('\n') + source.slice(start + header.length);
}
