import type { Dialect } from './dialect';
import { mysql } from './mysql';
import { postgres } from './postgres';
import { sqlite } from './sqlite';
import type { DialectName } from './types';

/** Every dialect kiln speaks: adding one is a folder under src/dialect/ and one entry here. */
export const DIALECTS: Readonly<Record<DialectName, Dialect>> = { sqlite, postgres, mysql };

/** The dialect object for a name. */
export function dialectOf(name: DialectName): Dialect {
  return DIALECTS[name];
}
