import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// Served by the API at `/official/` in production; in development the API runs on its own port.
export default defineConfig({
  base: '/official/',
  plugins: [react()],
  server: {
    port: 5174,
    strictPort: true,
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
  preview: { port: 4174, strictPort: true },
  css: {
    // Sass minifies the stylesheet itself: Vite's default minifier (Lightning CSS) rejects the
    // old-browser media-query hacks that govuk-frontend still ships (`min-width: 0\0`).
    preprocessorOptions: { scss: { style: 'compressed' } },
  },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, cssMinify: false },
  test: {
    environment: 'happy-dom',
    setupFiles: ['./src/test-setup.ts'],
  },
});
