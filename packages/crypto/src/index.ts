// Public API of @townhall/crypto. Node-only helpers live behind subpath exports
// (`@townhall/crypto/workers/node`, `@townhall/crypto/credentials-signer`).
export * from './errors.ts';
export * from './group.ts';
export * from './transcript.ts';
export * from './elgamal/index.ts';
export * from './proofs/index.ts';
export * from './ballot/index.ts';
export * from './batch/index.ts';
export * from './workers/index.ts';
export * from './ceremony/index.ts';
export * from './credentials/index.ts';
export * from './trustee-file/index.ts';
export * from './decryption/index.ts';
