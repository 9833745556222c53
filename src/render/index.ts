export { renderOp } from './render-op';
export { renderMigration, migrationFileName } from './migration';
export { lit } from './literal';
