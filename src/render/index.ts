export { renderOp } from './render-op';
export { renderMigration, migrationFileName, slugify, BEGIN_MARKER, END_MARKER } from './migration';
export type { MigrationInput } from './migration';
export { lit } from './literal';
