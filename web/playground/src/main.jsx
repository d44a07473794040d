// Entry point of the offline GraphiQL playground bundle.
//
// The Go handler (playground.go) injects the page configuration as JSON into
// <script type="application/json" id="config">; nothing here is inline script,
// so the page works under a strict Content-Security-Policy.
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import 'graphiql/style.css';
import './playground.css';

const DEFAULT_QUERY = `# Auth: paste your token after "Bearer " in the
# Headers tab below. Headers are not saved unless
# you enable it in Settings.
#
# Page through one sales rep's customers
# (sandbox owner "dowen"). For the next page, set
# the "after" variable to pageInfo.endCursor.
query Customers($after: String) {
  customers(ownerId: "dowen", first: 10, after: $after) {
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
`;

const DEFAULT_VARIABLES = `{
  "after": null
}
`;

// Shown in the headers editor so users see where the token goes. A header whose
// value is empty or just "Bearer" is dropped before the request is sent (see
// stripPlaceholderHeaders), so the untouched template does not break requests.
const DEFAULT_HEADERS = `{
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

function playgroundFetch(input, init) {
  const next = init ? { ...init, headers: stripPlaceholderHeaders(init.headers) } : init;
  return window.fetch(input, next);
}

function main() {
  const cfg = readConfig();
  document.title = cfg.version ? `${cfg.title} (${cfg.version})` : cfg.title;

  const fetcher = createGraphiQLFetcher({
    url: new URL(cfg.endpoint, window.location.href).toString(),
    fetch: playgroundFetch,
  });

  const root = createRoot(document.getElementById('graphiql'));
  root.render(
    <GraphiQL
      fetcher={fetcher}
      defaultQuery={DEFAULT_QUERY}
      defaultHeaders={DEFAULT_HEADERS}
      defaultTabs={[{ query: DEFAULT_QUERY, variables: DEFAULT_VARIABLES, headers: DEFAULT_HEADERS }]}
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
