import type { Status } from '../runner/status';
import type { MigrationFile } from '../runner/files';
import { readMessage } from '../runner/files';

/** JSON shape of one revision in `current`, `history` and `show`. */
export interface RevisionJson {
  id: string;
  file: string;
  message: string;
  applied: boolean;
  batch: number | null;
  appliedAt: string | null;
  current: boolean;
  head: boolean;
}

const appliedByName = new WeakMap<Status, Map<string, Status['applied'][number]>>();

/** The applied row of a file (one map per status: history of thousands stays linear). */
export function appliedRow(status: Status, f: MigrationFile): Status['applied'][number] | undefined {
  let map = appliedByName.get(status);
  if (!map) appliedByName.set(status, (map = new Map(status.applied.map((a) => [a.name, a]))));
  return map.get(f.name);
}

export function revisionJson(status: Status, f: MigrationFile): RevisionJson {
  const row = appliedRow(status, f);
  const t = row?.migrationTime;
  return {
    id: f.id,
    file: f.name,
    message: readMessage(f),
    applied: Boolean(row),
    batch: row ? row.batch : null,
    appliedAt: t ? new Date(t).toISOString() : null,
    current: status.current?.name === f.name,
    head: status.head?.name === f.name,
  };
}

export function marks(status: Status, f: MigrationFile): string {
  const m: string[] = [];
  if (status.head?.name === f.name) m.push('head');
  if (status.current?.name === f.name) m.push('current');
  return m.length ? ` (${m.join(', ')})` : '';
}
