export * from './parameters.ts';
export * from './polynomial.ts';
export * from './commitment.ts';
export * from './share-encryption.ts';
export * from './complaint.ts';
export * from './election-key.ts';
