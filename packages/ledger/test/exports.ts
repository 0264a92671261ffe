// Public API plus the internal helpers some tests need.
export * from '../src/index.ts';
export { encodeUtf8, readUint64BE } from '../src/encoding.ts';
