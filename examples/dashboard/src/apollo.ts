import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client';
import { relayStylePagination } from '@apollo/client/utilities';

/** The gateway's endpoint, from VITE_GRAPHQL_URL at build time. */
export const GRAPHQL_URL = import.meta.env.VITE_GRAPHQL_URL || 'http://localhost:8080/query';

export function createClient(uri: string = GRAPHQL_URL): ApolloClient {
  return new ApolloClient({
    // POST with Content-Type: application/json (HttpLink's default): the
    // gateway refuses other POST bodies, and GETs without a preflight header.
    link: new HttpLink({ uri }),
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
