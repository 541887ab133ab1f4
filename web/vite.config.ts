import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** Paths served by the API; `vite` (dev server) forwards them to a running `educonnect serve`. */
const API_PREFIXES = ['/auth', '/students', '/edu_admin', '/zoom', '/docs', '/healthz', '/readyz'];
const api = process.env.EDUCONNECT_API_URL ?? 'http://localhost:8000';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  // Quiet, as part of `npm run build`: warnings and errors only.
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
  },
  server: {
    port: 5173,
    proxy: Object.fromEntries(API_PREFIXES.map((prefix) => [prefix, { target: api }])),
  },
});
