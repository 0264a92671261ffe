import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'simulate/**/*.test.ts'],
    // Medium tests start the real app on real databases; a loaded 2-core machine can take a while.
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // Medium tests open real databases; two files at a time keeps a 2-core machine responsive.
    maxWorkers: 2,
    reporters: ['default', ['json', { outputFile: '.reports/vitest.json' }]],
  },
});
