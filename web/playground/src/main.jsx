// Entry point of the offline GraphiQL playground bundle.
//
// The Go handler (playground.go) injects the page configuration as JSON into
// <script type="application/json" id="config">; nothing here is inline script,
// so the page works under a strict Content-Security-Policy.
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { parse } from 'graphql';
import 'graphiql/style.css';
import './playground.css';

// Example operations, one tab each: they document the API where users try it.
const EXAMPLES = [
  {
    query: `# Credentials: in the Headers tab below, put your API key in
# "X-API-Key" or your token after "Bearer " (empty headers
# are not sent). The sandbox needs neither.
#
# Page through one sales rep's customers (sandbox owner
# "dowen"). For the next page, set the "after" variable
# to pageInfo.endCursor.
query Customers($owner: ID!, $after: String) {
  customers(ownerId: $owner, first: 10, after: $after) {
    edges {
      cursor
      node {
        id
        customerId
        name
        mobiles
        gender
        stage { id label }
        createdAt
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}
`,
    variables: `{
  "owner": "dowen",
  "after": null
}
`,
  },
  {
    query: `# A dashboard page in one request: owner, tags, stage and
# source labels, every custom field typed by its kind, and
# the latest follow-up. Reference data is cached, so a warm
# page costs one upstream call (plus one per follow-up).
query Dashboard($owner: ID!, $after: String) {
  customers(ownerId: $owner, first: 20, after: $after) {
    edges {
      node {
        id
        name
        mobiles
        updatedAt
        owner { name departments { name } }
        tags { name group { name } }
        stage { label }
        source { label }
        fields {
          key
          label
          kind
          text
          problem
          ... on SelectCustomerField { option { id label } }
          ... on MultiSelectCustomerField { options { label } }
          ... on DateCustomerField { date }
          ... on DateTimeCustomerField { dateTime }
          ... on NumberCustomerField { number }
          ... on PhoneCustomerField { phones }
        }
        followUps(first: 1) {
          edges { node { kind content createdAt author { name } } }
        }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}
`,
    variables: `{
  "owner": "dowen",
  "after": null
}
`,
  },
  {
    query: `# Search across owners, with the total. Filters combine
# with AND: text, ownerIds, departmentIds, tagIds (Tag ids
# or qwTagIds), stageIds, createdSince/createdBefore.
query Search($filter: CustomerFilter, $after: String) {
  searchCustomers(filter: $filter, first: 20, after: $after) {
    totalCount
    edges { node { id name stage { label } owner { name } } }
    pageInfo { hasNextPage endCursor }
  }
}
`,
    variables: `{
  "filter": { "stageIds": ["398792098304064"], "createdSince": "2021-06-01T00:00:00+08:00" },
  "after": null
}
`,
  },
  {
    query: `# Refetch anything by the id the API gave it (Customer,
# Staff, Tag). nodes() fetches several at once.
query Refetch($id: ID!) {
  node(id: $id) {
    id
    __typename
    ... on Customer { customerId name birthday address corpName }
    ... on Staff { qwUserId name }
    ... on Tag { name group { name } }
  }
}
`,
    variables: `{
  "id": "Q3VzdG9tZXI6Mzk4NjA0MTIwNjY4MjI0"
}
`,
  },
  {
    query: `# Reference data: the staff directory, the tag library and
# the field definitions (with the options of select fields).
query Reference {
  staff(first: 5) {
    totalCount
    edges { node { qwUserId name departments { name } } }
  }
  tagGroups { name tags { name qwTagId } }
  customerFields { key label kind system options { id label } }
}
`,
    variables: `{}
`,
  },
  {
    query: `# Live data: run this, then change one of dowen's
# customers (the UpdateCustomer tab, or from a terminal:
#   curl -X POST ${window.location.origin}/sandbox/simulate/customer-tag \\
#     -d '{"customerId":398604120668224,"tagId":397100000001002}'
# ) and each change arrives here as Tanma pushes it. The
# run button stops the subscription.
subscription Live($owner: ID) {
  customerChanged(ownerId: $owner) {
    kind
    customerId
    receivedAt
    customer { id name stage { label } tags { name } updatedAt }
  }
}
`,
    variables: `{
  "owner": "dowen"
}
`,
  },
  {
    query: `# Write back (needs the "write" permission). Each value is
# checked against customerFields first; a mistake answers
# BAD_USER_INPUT naming the field and nothing is sent.
# clueCreate logs a lead; customersTransfer hands customers
# over in one call, with a result per customer.
mutation UpdateCustomer($input: CustomerUpdateInput!) {
  customerUpdate(input: $input) {
    clientMutationId
    customer { id name stage { label } description updatedAt }
  }
}
`,
    variables: `{
  "input": {
    "clientMutationId": "playground-1",
    "id": "398604120668224",
    "fields": [
      { "key": "customer_stage", "optionId": "398792098304064" },
      { "key": "description", "text": "Called back, wants a quote" }
    ]
  }
}
`,
  },
];

// Shown in the headers editor so users see where credentials go. A header
// whose value is empty or just "Bearer" is dropped before the request is
// sent (see stripPlaceholderHeaders), so the untouched template sends none.
const DEFAULT_HEADERS = `{
  "X-API-Key": "",
  "Authorization": "Bearer "
}
`;

function readConfig() {
  const el = document.getElementById('config');
  let cfg = {};
  if (el && el.textContent) {
    try {
      cfg = JSON.parse(el.textContent);
    } catch (err) {
      console.error('playground: invalid #config JSON', err);
    }
  }
  return {
    endpoint: typeof cfg.endpoint === 'string' && cfg.endpoint ? cfg.endpoint : '/query',
    title: typeof cfg.title === 'string' && cfg.title ? cfg.title : 'GraphQL Playground',
    version: typeof cfg.version === 'string' ? cfg.version : '',
  };
}

function isPlaceholder(value) {
  const v = String(value ?? '').trim();
  return v === '' || /^bearer$/i.test(v);
}

// withoutPlaceholders drops the placeholder entries of a headers object.
function withoutPlaceholders(headers) {
  return Object.fromEntries(Object.entries(headers).filter(([, value]) => !isPlaceholder(value)));
}

// socketURL is the WebSocket address of an http(s) endpoint.
function socketURL(url) {
  const ws = new URL(url);
  ws.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return ws.toString();
}

function stripPlaceholderHeaders(headers) {
  if (!headers) return headers;
  const h = new Headers(headers);
  const drop = [];
  h.forEach((value, name) => {
    if (isPlaceholder(value)) drop.push(name);
  });
  for (const name of drop) h.delete(name);
  return h;
}

// GraphiQL 4 works out a tab's operation name and document from its query a
// moment after each edit or tab switch: a query typed over another and run
// at once would go out with the previous operation's name ("operation
// Customers not found"), and a subscription would go over HTTP because the
// previous tab's document says it is a query. settled parses the query
// being run: its document, and the operation name the user means (when the
// given one names no operation and the document has exactly one, that
// one's name, or none).
function settled(params, opts) {
  if (!params || typeof params.query !== 'string') return [params, opts];
  let doc;
  try {
    doc = parse(params.query);
  } catch {
    return [params, opts]; // the server says what is wrong with it
  }
  const ops = doc.definitions.filter((d) => d.kind === 'OperationDefinition');
  const name = params.operationName || null;
  if (ops.length === 1 && (ops[0].name?.value ?? null) !== name) {
    params = { ...params, operationName: ops[0].name ? ops[0].name.value : null };
  }
  return [params, { ...opts, documentAST: doc }];
}

function playgroundFetch(input, init) {
  return window.fetch(input, init ? { ...init, headers: stripPlaceholderHeaders(init.headers) } : init);
}

// firstVisit reports whether GraphiQL has no saved tabs in this browser yet
// (it keeps them in localStorage under graphiql:tabState).
function firstVisit() {
  try {
    return window.localStorage.getItem('graphiql:tabState') === null;
  } catch {
    return true; // storage blocked: GraphiQL starts from the defaults too
  }
}

function main() {
  const cfg = readConfig();
  document.title = cfg.version ? `${cfg.title} (${cfg.version})` : cfg.title;

  const url = new URL(cfg.endpoint, window.location.href);
  const graphiqlFetcher = createGraphiQLFetcher({
    url: url.toString(),
    // Subscriptions go over graphql-ws to the same endpoint; the Headers
    // tab's credentials travel in connection_init (the server reads
    // X-API-Key and Authorization there).
    subscriptionUrl: socketURL(url),
    fetch: playgroundFetch,
  });
  // The document and operation name are settled before GraphiQL picks HTTP
  // or WebSocket by them. HTTP requests drop placeholder headers in
  // playgroundFetch; the WebSocket's connection_init gets the headers
  // object itself.
  const fetcher = (params, opts) => {
    const [p, o] = settled(params, opts);
    return graphiqlFetcher(p, o && o.headers ? { ...o, headers: withoutPlaceholders(o.headers) } : o);
  };

  const root = createRoot(document.getElementById('graphiql'));
  root.render(
    <GraphiQL
      fetcher={fetcher}
      defaultQuery={EXAMPLES[0].query}
      // GraphiQL 4 fills the first tab's query from defaultTabs but not its
      // variables: on a first visit (no saved tabs) the variables editor
      // would start empty and "Run" would fail with "$owner must be defined".
      variables={firstVisit() ? EXAMPLES[0].variables : undefined}
      defaultHeaders={DEFAULT_HEADERS}
      defaultTabs={EXAMPLES.map((e) => ({ ...e, headers: DEFAULT_HEADERS }))}
      defaultEditorToolsVisibility="headers"
      isHeadersEditorEnabled
      shouldPersistHeaders={false}
      showPersistHeadersSettings
    >
      {/* GraphiQL only recognises GraphiQL.Logo as a direct child. */}
      <GraphiQL.Logo>
        <span className="pg-title">{cfg.title}</span>
        {cfg.version ? (
          <span className="pg-version" title="Server version">
            {cfg.version}
          </span>
        ) : null}
      </GraphiQL.Logo>
    </GraphiQL>,
  );
}

main();
