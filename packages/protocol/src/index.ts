export * from './errors.ts';
export * from './system.ts';
export * from './identity.ts';
export * from './elections.ts';
export * from './contracts.ts';
export * from './ballot-key-vault.ts';
export * from './townhall-id.ts';
export * from './organisations.ts';
