/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** The gateway's GraphQL endpoint; default http://localhost:8080/query. Baked in at build time. */
  readonly VITE_GRAPHQL_URL?: string;
  /** An API key sent as X-API-Key (HTTP) and in connectionParams (WebSocket); default none. Baked in at build time. */
  readonly VITE_API_KEY?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
