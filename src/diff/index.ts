export { compare } from './compare';
export { columnsEqual, defaultsEqual } from './compare-columns';
export {
  NO_RENAMES,
  fixedRenames,
  parseRenameFlags,
  type FixedRenames,
  type RenameMap,
  type RenameResolver,
} from './renames';
