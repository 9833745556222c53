import type { MigrationFile } from '../runner/files';
import { readMessage } from '../runner/files';
import { displayPath } from '../runner/load-migration';
import type { RunEvent } from '../runner/run';
import type { Status } from '../runner/status';

/** The words of the runner's progress and of `db current`: the runner reports events, these are its lines. */
export function editedWarning(edited: MigrationFile[]): string {
  return `applied migration${edited.length > 1 ? 's' : ''} ${edited.map((f) => displayPath(f.path)).join(', ')} changed since ${edited.length > 1 ? 'they were' : 'it was'} applied: the database does not run the edit; put a change to applied migrations in a new migration ('kiln db revision' or 'kiln db migrate')`;
}

const label = (f: MigrationFile | null | undefined) => (f ? f.id : '<base>');

/** What `kiln db current` prints (also the fast path): `<id> (head)`, `<id>` or `<base>`. */
export function currentLine(status: Status): string {
  return status.current ? `${status.current.id}${status.current === status.head ? ' (head)' : ''}` : '<base>';
}

/** What a `kiln db upgrade` with nothing to do prints (also the fast path). */
export function nothingToUpgradeLine(status: Status): string {
  return `Nothing to upgrade: database is at ${currentLine(status)}.`;
}

/** The line of a run event: which stream, what text. */
export function runEventLine(event: RunEvent): { readonly warn: boolean; readonly text: string } {
  switch (event.kind) {
    case 'edited':
      return { warn: true, text: editedWarning(event.files) };
    case 'nothing':
      if (event.direction === 'up') return { warn: false, text: nothingToUpgradeLine(event.status) };
      return { warn: false, text: `Nothing to downgrade: database is ${event.status.current ? `at ${event.status.current.id}` : 'already at base'}.` };
    case 'step':
      return event.direction === 'up'
        ? { warn: false, text: `Running upgrade ${label(event.from)} -> ${event.step.id}, ${readMessage(event.step)}` }
        : { warn: false, text: `Running downgrade ${event.step.id} -> ${label(event.to)}, ${readMessage(event.step)}` };
  }
}
