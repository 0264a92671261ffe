export * from './trustee-file.ts';
