export * from './types';
export * from './reverse';
export * from './describe';
