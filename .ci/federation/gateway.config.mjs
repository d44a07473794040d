// Hive Gateway's configuration for the composition test (README,
// "Federation", shows the same for production): serve the composed
// supergraph and forward the caller's credential, Authorization or
// X-API-Key, to the Tanma gateway's subgraph, which answers 401 to a
// request without one (never anonymous data).
import { defineConfig } from '@graphql-hive/gateway';

export const gatewayConfig = defineConfig({
  propagateHeaders: {
    fromClientToSubgraphs({ request, subgraphName }) {
      if (subgraphName !== 'tanma') return {};
      return {
        authorization: request.headers.get('authorization'),
        'x-api-key': request.headers.get('x-api-key'),
      };
    },
  },
  logging: 'warn',
});
