import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

// The @defer page (this directory): its own root, served on 127.0.0.1:5174
// by `vite preview --config defer/vite.config.ts` (e2e/defer.mjs) so it
// does not take the dashboard's port. VITE_GRAPHQL_URL (read in main.tsx)
// is baked in at build time.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  preview: { host: '127.0.0.1', port: 5174, strictPort: true },
  build: { sourcemap: false },
});
