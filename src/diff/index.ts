export { compare } from './compare';
export { planForSqlite } from './plan-sqlite';
export { columnsEqual, defaultsEqual } from './compare-columns';
export {
  NO_RENAMES,
  fixedRenames,
  parseRenameFlags,
  type RenameMap,
  type RenameResolver,
} from './renames';
