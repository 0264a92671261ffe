export * from './protocol.ts';
export * from './pool.ts';
