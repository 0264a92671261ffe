export * from './elgamal.ts';
