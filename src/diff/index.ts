export { compare } from './compare';
export { planForSqlite } from './plan-sqlite';
export { planForMysql } from './plan-mysql';
export { columnsEqual, defaultsEqual } from './compare-columns';
export {
  NO_RENAMES,
  fixedRenames,
  parseRenameFlags,
  type FixedRenames,
  type RenameMap,
  type RenameResolver,
} from './renames';
