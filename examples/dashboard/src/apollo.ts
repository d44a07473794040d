import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { relayStylePagination } from '@apollo/client/utilities';
import { OperationTypeNode } from 'graphql';
import { createClient as createWsClient } from 'graphql-ws';

/** The gateway's endpoint, from VITE_GRAPHQL_URL at build time. */
export const GRAPHQL_URL = import.meta.env.VITE_GRAPHQL_URL || 'http://localhost:8080/query';

/** The WebSocket address of an http(s) endpoint: subscriptions go there. */
export function socketURL(uri: string): string {
  const url = new URL(uri, window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

export function createClient(uri: string = GRAPHQL_URL): ApolloClient {
  // POST with Content-Type: application/json (HttpLink's default): the
  // gateway refuses other POST bodies, and GETs without a preflight header.
  const http = new HttpLink({ uri });
  // Subscriptions over graphql-ws (the graphql-transport-ws protocol) at the
  // same endpoint. The socket opens on the first subscription and reconnects
  // after a drop; credentials, when the gateway wants them, go in
  // connectionParams (X-API-Key or Authorization).
  const ws = new GraphQLWsLink(createWsClient({ url: socketURL(uri), lazy: true, retryAttempts: Infinity }));
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
