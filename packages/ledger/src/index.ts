export * from './errors.ts';
export {
  encodeBase64,
  decodeBase64,
  encodeHex,
  decodeHex,
  equalBytes,
  parseDecimalUint64,
} from './encoding.ts';
export * from './merkle.ts';
export * from './proofs.ts';
export * from './tree-builder.ts';
export * from './memory-tree.ts';
export * from './tiles.ts';
export * from './entry.ts';
export * from './keys.ts';
export * from './note.ts';
export * from './checkpoint.ts';
export * from './cosignature.ts';
export * from './receipt.ts';
export * from './witness.ts';
