import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The dev server and `vite preview` listen on 127.0.0.1:5173: the gateway's
// sandbox mode allows CORS from http://localhost:5173 and
// http://127.0.0.1:5173 only. VITE_GRAPHQL_URL (read in src/apollo.ts) is
// baked in at build time.
export default defineConfig({
  plugins: [react()],
  server: { host: '127.0.0.1', port: 5173, strictPort: true },
  preview: { host: '127.0.0.1', port: 5173, strictPort: true },
  build: { sourcemap: false },
});
