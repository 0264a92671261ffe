export * from './message.ts';
export * from './blind-rsa.ts';
export * from './credential.ts';
export * from './ballot-key.ts';
