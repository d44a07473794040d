import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { relayStylePagination } from '@apollo/client/utilities';
import { OperationTypeNode } from 'graphql';
import { createClient as createWsClient } from 'graphql-ws';

import { GRAPHQL_URL, credentials, socketURL } from './endpoint';

export function createClient(uri: string = GRAPHQL_URL): ApolloClient {
  // POST with Content-Type: application/json (HttpLink's default): the
  // gateway refuses other POST bodies. The API key (VITE_API_KEY), when
  // there is one, goes as X-API-Key.
  const http = new HttpLink({ uri, headers: credentials() });
  // Subscriptions over graphql-ws (the graphql-transport-ws protocol) at the
  // same endpoint. The socket opens on the first subscription and reconnects
  // after a drop; a browser cannot set headers on a WebSocket, so the key
  // goes in connectionParams (the gateway reads X-API-Key or Authorization
  // there).
  const ws = new GraphQLWsLink(
    createWsClient({ url: socketURL(uri), connectionParams: credentials, lazy: true, retryAttempts: Infinity }),
  );
  return new ApolloClient({
    link: ApolloLink.split((op) => op.operationType === OperationTypeNode.SUBSCRIPTION, ws, http),
    cache: new InMemoryCache({
      typePolicies: {
        Query: {
          fields: {
            // One cached list per owner; `first`/`after` pages are merged
            // into it edge by edge, so fetchMore appends the next page.
            customers: relayStylePagination(['ownerId']),
          },
        },
        // SelectOption has an `id` field, but it is an option id that is
        // only unique within its field (gender `1` and another select's `1`
        // would collide as `SelectOption:1`): keep options inside their parent.
        SelectOption: { keyFields: false },
      },
    }),
  });
}
