import * as fs from 'node:fs';
import * as path from 'node:path';
import { KilnError, messageOf } from '../errors';
import { requireTs } from '../loader/require-ts';
import type { Schema } from '../schema/types';
import { compileModels } from './compile';
import { isDefinition } from './definition';
import { isView } from './view';
import { isTrigger } from './trigger';
import { isSequence } from './sequence';

const EXTENSIONS = ['.ts', '.cts', '.js', '.cjs'];
const TEST_FILE = /\.(test|spec)\.[cm]?[jt]s$/;

/**
 * Loads model definitions from a file, or from every .ts/.js file under a directory (sorted by
 * path; skipping node_modules, dot folders, .d.ts and test files, and a .js compiled next to
 * its .ts), and compiles them. `files` are absolute paths, in load order.
 */
export async function loadModels(pathOrDir: string): Promise<{ schema: Schema; files: string[] }> {
  const root = path.resolve(pathOrDir);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(root);
  } catch {
    throw new KilnError('MODEL', `model path not found: ${relative(root)}`);
  }
  const files = stat.isDirectory() ? listModelFiles(root) : [root];
  const definitions: unknown[] = [];
  for (const file of files) {
    let exported: unknown;
    try {
      exported = requireTs(file);
    } catch (e) {
      throw new KilnError('MODEL', `cannot load model file ${relative(file)}: ${firstLine(e)}`, { cause: e });
    }
    collectDefinitions(exported, definitions);
  }
  return { schema: compileModels(definitions), files };
}

/** Every definition exported by a module: named exports, and inside default objects/arrays. */
export function collectDefinitions(exported: unknown, into: unknown[], depth = 0): void {
  if (isDefinition(exported) || isView(exported) || isTrigger(exported) || isSequence(exported)) {
    into.push(exported);
    return;
  }
  if (depth > 2 || !isPlainContainer(exported)) return;
  const values = Array.isArray(exported) ? exported : Object.values(exported);
  for (const value of values) collectDefinitions(value, into, depth + 1);
}

/** Only plain objects and arrays are looked into: never a class instance's getters. */
function isPlainContainer(value: unknown): value is object {
  if (Array.isArray(value)) return true;
  if (typeof value !== 'object' || value === null) return false;
  // Any realm's Object.prototype (jest runs modules in their own realm), or none.
  const proto = Object.getPrototypeOf(value);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

export function listModelFiles(dir: string): string[] {
  const out: string[] = [];
  walk(dir, out);
  return out.sort();
}

function walk(dir: string, out: string[]): void {
  const entries = fs.readdirSync(dir, { withFileTypes: true });
  const names = new Set(entries.map((e) => e.name));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.name.startsWith('.')) continue;
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== '__tests__') walk(full, out);
      continue;
    }
    if (!EXTENSIONS.includes(path.extname(entry.name)) || entry.name.endsWith('.d.ts') || TEST_FILE.test(entry.name)) continue;
    if (/\.c?js$/.test(entry.name) && names.has(entry.name.replace(/\.c?js$/, '.ts'))) continue;
    out.push(full);
  }
}

/** The first line of an error's message, whatever realm it came from. */
function firstLine(e: unknown): string {
  const message = (e as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message.split('\n')[0].trim() : messageOf(e);
}

function relative(file: string): string {
  return path.relative(process.cwd(), file) || '.';
}
