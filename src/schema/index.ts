export * from './types';
export * from './naming';
export * from './build';
