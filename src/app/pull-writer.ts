/**
 * `db pull` writes its model files on a second thread while the main thread verifies them
 * (compiles them with the folder's other models and compares them with the database): the two
 * overlap, and the writing (a thousand file creations: 40 ms on a quiet disk, several hundred
 * on a busy one) no longer adds to the command's time. The verdict comes after both: models
 * that do not compile, or a signal, undo every file written (the folder is left as it was);
 * otherwise they are kept. A write failure is undone by the writer itself.
 *
 * Where no compiled worker script exists (kiln's sources run through ts-jest), the files are
 * written on the main thread once verified, as before.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { removeIfEmpty, writeStaged, type FileToWrite } from './write-staged';
import { REQUEST, STATE, Request, State } from './pull-writer-protocol';

export interface PendingWrite {
  /** Resolves once every file is written; rejects with the reason (a first line) when writing failed, everything undone. */
  written(): Promise<void>;
  /** The files stay. */
  keep(): void;
  /** Undoes whatever was written, synchronously (waits for the writer). Safe in any state, and more than once. */
  abandon(): void;
}

const WORKER_SCRIPT = path.join(__dirname, 'pull-writer-worker.js');
/** How long `abandon()` waits for the writer to undo (it checks between two files). */
const UNDO_WAIT_MS = 30_000;

export function startWriting(folder: string, files: readonly FileToWrite[], replaced: ReadonlySet<string>): PendingWrite {
  if (!__filename.endsWith('.js') || !fs.existsSync(WORKER_SCRIPT)) return onMainThread(folder, files, replaced);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only by a pull
  const { Worker: WorkerThread } = require('node:worker_threads') as typeof import('node:worker_threads');
  const existed = new Set([...new Set([folder, ...files.map((f) => path.dirname(f.file))])].filter((d) => fs.existsSync(d)));
  const shared = new SharedArrayBuffer(8);
  const cells = new Int32Array(shared);
  const worker: Worker = new WorkerThread(WORKER_SCRIPT, {
    workerData: { folder, files: files.map((f) => ({ file: f.file, source: f.source })), replaced: [...replaced], shared },
    stdout: false,
    stderr: false,
  });
  const outcome = new Promise<void>((resolve, reject) => {
    let settled = false;
    worker.on('message', (m: { state: State; message?: string }) => {
      if (settled) return;
      settled = true;
      if (m.state === State.Written) resolve();
      else reject(new Error(m.message ?? 'the writing was undone'));
    });
    const stopped = (reason: string) => {
      if (settled) return;
      settled = true;
      // Nothing reported: the thread died (it never got to its own undo). Files it created are removed here.
      removeNew(folder, files, replaced, existed);
      reject(new Error(`the writer thread stopped (${reason})`));
    };
    worker.on('error', (e) => stopped(e.message.split('\n')[0]));
    worker.on('exit', (code) => stopped(`exit code ${code}`));
  });
  outcome.catch(() => undefined); // observed by written(); a pull that fails before asking must not crash on it
  return {
    written: () => outcome,
    keep() {
      Atomics.store(cells, REQUEST, Request.Keep);
      Atomics.notify(cells, REQUEST);
    },
    abandon() {
      if (Atomics.load(cells, REQUEST) !== Request.None) return;
      Atomics.store(cells, REQUEST, Request.Undo);
      Atomics.notify(cells, REQUEST);
      const deadline = Date.now() + UNDO_WAIT_MS;
      for (;;) {
        const state = Atomics.load(cells, STATE) as State;
        if (state === State.Undone || state === State.Failed || state === State.Kept) return;
        const left = deadline - Date.now();
        if (left <= 0) {
          // The thread never answered (it may not even have started): remove what it may have created.
          void worker.terminate();
          removeNew(folder, files, replaced, existed);
          return;
        }
        Atomics.wait(cells, STATE, state, left);
      }
    },
  };
}

function onMainThread(folder: string, files: readonly FileToWrite[], replaced: ReadonlySet<string>): PendingWrite {
  let undo: (() => void) | null = null;
  return {
    async written() {
      undo = writeStaged(folder, files, replaced);
    },
    keep() {
      undo = null;
    },
    abandon() {
      undo?.();
      undo = null;
    },
  };
}

/** The files this pull was to create (not the ones it replaces) that exist now, and the folders it made: removed. */
function removeNew(folder: string, files: readonly FileToWrite[], replaced: ReadonlySet<string>, existed: ReadonlySet<string>): void {
  for (const f of files) if (!replaced.has(f.file)) fs.rmSync(f.file, { force: true });
  for (const dir of [...new Set(files.map((f) => path.dirname(f.file))), folder]) if (!existed.has(dir)) removeIfEmpty(dir);
}
