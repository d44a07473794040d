import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The dev server and `vite preview` listen on 127.0.0.1:5173 by default:
// the gateway's sandbox mode allows CORS from http://localhost:5173 and
// http://127.0.0.1:5173 (the browser test serves on a free port instead,
// `--port`, and lists that origin in the gateway's CORS_ALLOWED_ORIGINS).
// VITE_GRAPHQL_URL and VITE_API_KEY (read in src/endpoint.ts) are baked in
// at build time. Two pages: the dashboard (index.html) and the urql check
// (urql.html, src/urql.ts).
export default defineConfig({
  plugins: [react()],
  server: { host: '127.0.0.1', port: 5173, strictPort: true },
  preview: { host: '127.0.0.1', port: 5173, strictPort: true },
  build: {
    sourcemap: false,
    rolldownOptions: {
      input: {
        main: fileURLToPath(new URL('index.html', import.meta.url)),
        urql: fileURLToPath(new URL('urql.html', import.meta.url)),
      },
    },
  },
});
