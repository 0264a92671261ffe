export * from './schema.ts';
export * from './ballot.ts';
