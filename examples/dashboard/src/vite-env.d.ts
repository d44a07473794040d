/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** The gateway's GraphQL endpoint; default http://localhost:8080/query. Baked in at build time. */
  readonly VITE_GRAPHQL_URL?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
