export { compare } from './compare';
export { arrangeViews } from './views';
export {
  NO_RENAMES,
  fixedRenames,
  parseRenameFlags,
  type FixedRenames,
  type RenameResolver,
  type Renames,
} from './renames';
