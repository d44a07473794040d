import type { CodegenConfig } from '@graphql-codegen/cli';

// Types come from the LIVE schema: introspection of a running gateway
// (`go run .` in the repo root serves the sandbox with introspection on).
//   npm run codegen                                   # http://localhost:8080/query
//   CODEGEN_SCHEMA_URL=http://host:port/query npm run codegen
// CODEGEN_OUT writes elsewhere (the e2e script uses it to check that the
// committed src/gql/ is up to date without touching the work tree).
const schema =
  process.env.CODEGEN_SCHEMA_URL ?? process.env.VITE_GRAPHQL_URL ?? 'http://localhost:8080/query';
const out = process.env.CODEGEN_OUT ?? 'src/gql/';

const config: CodegenConfig = {
  schema,
  documents: ['src/**/*.{ts,tsx}', '!src/gql/**'],
  ignoreNoDocuments: false,
  generates: {
    [out]: {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        // Only the types the operations use (and the enums they reference),
        // so an unrelated schema change leaves the committed file alone.
        onlyOperationTypes: true,
        enumsAsTypes: true,
        nonOptionalTypename: true,
        useTypeImports: true,
        strictScalars: true,
        scalars: { Date: 'string', DateTime: 'string' },
      },
    },
  },
};

export default config;
