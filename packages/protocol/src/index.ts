export * from './errors.ts';
export * from './system.ts';
export * from './identity.ts';
export * from './elections.ts';
