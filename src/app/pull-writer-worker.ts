/**
 * The writer thread of `db pull` (./pull-writer.ts): writes the files given in workerData while
 * the main thread verifies them, then waits for the verdict: keep them, or undo them. State and
 * requests go through a shared Int32Array so the main thread can also wait synchronously (a
 * signal handler undoes the files before the process exits).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { WriteCancelled, writeStaged, type FileToWrite } from './write-staged';
import { REQUEST, STATE, Request, State } from './pull-writer-protocol';

const { folder, files, replaced, shared } = workerData as { folder: string; files: FileToWrite[]; replaced: string[]; shared: SharedArrayBuffer };
const cells = new Int32Array(shared);

function settle(state: State, message?: string): void {
  Atomics.store(cells, STATE, state);
  Atomics.notify(cells, STATE);
  parentPort?.postMessage({ state, message });
}

const firstLine = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0];

let undo: (() => void) | null = null;
try {
  undo = writeStaged(folder, files, new Set(replaced), () => Atomics.load(cells, REQUEST) === Request.Undo);
} catch (e) {
  if (e instanceof WriteCancelled) settle(State.Undone);
  else settle(State.Failed, firstLine(e));
}
if (undo) {
  settle(State.Written);
  // Blocks this thread (not the process) until the main thread decides.
  while (Atomics.load(cells, REQUEST) === Request.None) Atomics.wait(cells, REQUEST, Request.None);
  if (Atomics.load(cells, REQUEST) === Request.Undo) {
    try {
      undo();
      settle(State.Undone);
    } catch (e) {
      settle(State.Failed, firstLine(e));
    }
  } else {
    settle(State.Kept);
  }
}
