export { compare } from './compare';
export { arrangeViews } from './views';
export { arrangeTriggers } from './triggers';
export {
  NO_RENAMES,
  fixedRenames,
  parseRenameFlags,
  subjectLabel,
  type FixedRenames,
  type RenameResolver,
  type Renames,
  type ValueSubject,
} from './renames';
