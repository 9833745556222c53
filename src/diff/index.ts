export { compare } from './compare';
export {
  NO_RENAMES,
  fixedRenames,
  parseRenameFlags,
  type FixedRenames,
  type RenameMap,
  type RenameResolver,
} from './renames';
