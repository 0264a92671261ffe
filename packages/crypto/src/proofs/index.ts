export * from './equation.ts';
export type { ProofBinding } from './common.ts';
export * from './schnorr.ts';
export * from './chaum-pedersen.ts';
export * from './disjunctive.ts';
