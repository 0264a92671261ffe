export * from './partial-decryption.ts';
export * from './discrete-log.ts';
