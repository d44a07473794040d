// The dashboard's queries through urql instead of Apollo Client, with
// urql's defaults: @urql/core sends queries as GET with no extra header
// (preferGetMethod 'within-url-limit'), which the gateway accepts from a
// listed origin, and subscriptions go through subscriptionExchange over a
// graphql-ws client. urql.html?owner=dowen lists the owner's first page
// and every customerChanged event after it; the browser test reads what it
// saw from window.__urql.
import { Client, cacheExchange, fetchExchange, subscriptionExchange } from '@urql/core';
import { createClient as createWsClient } from 'graphql-ws';

import { GRAPHQL_URL, credentials, socketURL } from './endpoint';
import { CUSTOMER_CHANGED_SUBSCRIPTION, CUSTOMERS_QUERY, PAGE_SIZE } from './queries';

/** What the page saw, for the browser test. */
export interface UrqlState {
  customers?: { customerId: string; name: string | null; mobiles: string[] }[];
  queryError?: string;
  subscribed: boolean;
  events: { kind: string; customerId: string | null; name: string | null }[];
  subscriptionError?: string;
}

declare global {
  interface Window {
    __urql: UrqlState;
  }
}

const state: UrqlState = { subscribed: false, events: [] };
window.__urql = state;
const owner = new URLSearchParams(window.location.search).get('owner') ?? 'dowen';
const $ = (id: string) => document.getElementById(id)!;

const ws = createWsClient({ url: socketURL(GRAPHQL_URL), connectionParams: credentials, lazy: true });
const client = new Client({
  url: GRAPHQL_URL,
  fetchOptions: () => ({ headers: credentials() }),
  exchanges: [
    cacheExchange,
    fetchExchange,
    subscriptionExchange({
      forwardSubscription: (request) => ({
        subscribe: (sink) => ({ unsubscribe: ws.subscribe({ ...request, query: request.query ?? '' }, sink) }),
      }),
    }),
  ],
});

function item(list: string, text: string, id: string) {
  const li = document.createElement('li');
  li.dataset.customerId = id;
  li.textContent = text;
  $(list).append(li);
}

const result = await client.query(CUSTOMERS_QUERY, { ownerId: owner, first: PAGE_SIZE }).toPromise();
if (result.error || !result.data?.customers) {
  state.queryError = result.error?.message ?? 'no customers';
  $('status').textContent = `query failed: ${state.queryError}`;
} else {
  state.customers = result.data.customers.edges.map(({ node }) => ({
    customerId: node.customerId,
    name: node.name ?? null,
    mobiles: node.mobiles,
  }));
  for (const c of state.customers) item('customers', `${c.name ?? '—'} ${c.mobiles.join(', ')}`, c.customerId);
  $('status').textContent = `${state.customers.length} customers of ${owner}; listening`;
}

client.subscription(CUSTOMER_CHANGED_SUBSCRIPTION, { ownerId: owner }).subscribe((r) => {
  if (r.error) {
    state.subscriptionError = r.error.message;
    $('status').textContent = `subscription failed: ${r.error.message}`;
    return;
  }
  const change = r.data?.customerChanged;
  if (!change) return;
  state.events.push({ kind: change.kind, customerId: change.customerId, name: change.customer?.name ?? null });
  item('events', `${change.kind} ${change.customerId ?? ''} ${change.customer?.name ?? ''}`, change.customerId ?? '');
});
state.subscribed = true;
