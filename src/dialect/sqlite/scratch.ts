import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DialectScratch } from '../scratch';

/** A file in a fresh temporary folder, removed with the folder. */
export const sqliteScratch: DialectScratch = {
  async create() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kiln-adopt-'));
    const file = path.join(dir, 'scratch.db');
    return { url: `sqlite:///${file}`, name: file, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  },
};
