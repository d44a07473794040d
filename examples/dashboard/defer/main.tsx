// A page that reads README's follow-ups with @defer: the rows render as
// soon as the gateway's first part arrives, each customer's latest
// follow-up when its later part does. Apollo Client reads the parts over
// HttpLink (multipart/mixed) through its Defer20220824Handler, the format
// the gateway writes. window.__renders records what each render showed,
// for the browser test (e2e/defer.mjs).
import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client';
import { ApolloProvider, useQuery } from '@apollo/client/react';
import { Defer20220824Handler } from '@apollo/client/incremental';
import { StrictMode, useEffect } from 'react';
import { createRoot } from 'react-dom/client';

const GRAPHQL_URL = import.meta.env.VITE_GRAPHQL_URL || 'http://localhost:8080/query';

/** The customers of one owner, each with its latest follow-up deferred. */
const CUSTOMERS = gql`
  query DeferredFollowUps($owner: ID!) {
    customers(ownerId: $owner, first: 20) {
      edges {
        node {
          id
          name
          ... @defer {
            followUps(first: 1) { edges { node { content createdAt } } }
          }
        }
      }
    }
  }
`;

interface FollowUps {
  edges: { node: { content: string | null; createdAt: string } }[];
}

interface Data {
  customers: { edges: { node: { id: string; name: string | null; followUps?: FollowUps | null } }[] } | null;
}

/** One render as the test reads it: rows shown, follow-ups arrived. */
interface Render {
  at: number;
  rows: number;
  arrived: number;
}

declare global {
  interface Window {
    __renders: Render[];
  }
}
window.__renders = [];

function Customers({ owner }: { owner: string }) {
  const { data, error } = useQuery<Data>(CUSTOMERS, { variables: { owner } });
  const edges = data?.customers?.edges ?? [];
  const arrived = edges.filter((e) => e.node.followUps != null).length;
  useEffect(() => {
    window.__renders.push({ at: performance.now(), rows: edges.length, arrived });
  }, [edges.length, arrived]);
  if (error) return <p role="alert">{error.message}</p>;
  if (!data) return <p>loading…</p>;
  return (
    <table>
      <thead>
        <tr>
          <th>customer</th>
          <th>latest follow-up</th>
        </tr>
      </thead>
      <tbody>
        {edges.map(({ node }) => (
          <tr key={node.id} data-id={node.id}>
            <td className="name">{node.name ?? '—'}</td>
            <td className="follow-up" data-state={node.followUps == null ? 'pending' : 'arrived'}>
              {node.followUps == null ? '…' : (node.followUps.edges[0]?.node.content ?? '—')}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const client = new ApolloClient({
  link: new HttpLink({ uri: GRAPHQL_URL }),
  cache: new InMemoryCache(),
  incrementalHandler: new Defer20220824Handler(),
});

const owner = new URLSearchParams(window.location.search).get('owner') ?? 'dowen';
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ApolloProvider client={client}>
      <h1>{owner}: customers and their latest follow-up (@defer)</h1>
      <Customers owner={owner} />
    </ApolloProvider>
  </StrictMode>,
);
