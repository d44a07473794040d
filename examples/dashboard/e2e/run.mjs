// End-to-end test of the example dashboard and the playground in headless
// Chromium (Debian's chromium driven by playwright-core; no browser
// download). It:
//   1. builds the gateway and starts it with no configuration, as a user
//      would (`go run .`): sandbox mode, its CORS origin set to the free
//      port the dashboard is served on; and a second one with an API key
//      that lacks the personal-data permission (API_KEYS, still sandbox);
//   2. checks that the committed generated types (src/gql/) match codegen
//      against the live schema, type-checks, checks that graphql-js builds
//      the served SDL and accepts a deferred document, compiles and runs
//      the Relay documents, and builds the dashboard with VITE_GRAPHQL_URL
//      pointing at each gateway (VITE_API_KEY for the second), then serves
//      both builds with `vite preview` on free ports;
//   3. reads the ground truth straight from the embedded sandbox (signed
//      Tanma calls, not through the gateway);
//   4. runs urql (urql.html, src/urql.ts) with its defaults: the first page
//      as a GET query with no preflight header, then a customerChanged event
//      over subscriptionExchange and graphql-ws after a tag is added through
//      the sandbox's simulate endpoint;
//   5. picks staff member "dowen", scrolls through three more pages, checks
//      every row (order, name, masked mobile) against the sandbox, opens a
//      customer on the fourth page and checks the detail panel;
//   6. renames a customer of the first page from a second client (a
//      customerUpdate mutation): the sandbox pushes the change to the
//      gateway, and the row updates over the page's subscription, without a
//      reload or another query;
//   7. opens the playground, runs its preloaded query, checks the result,
//      types and runs queries, then runs the Live subscription tab and sees
//      the event of a tag added through the sandbox's simulate endpoint;
//   8. opens the dashboard built with the key that lacks personal-data: the
//      gateway's answer carries masked numbers only (138****5678), the table
//      shows them and no whole mobile number, and the key went as X-API-Key
//      and in the socket's connectionParams.
// Screenshots go to screenshots/. Exit status 0 on success.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, parse, validate } from 'graphql';
import {
  app,
  assertEqual,
  buildGateway,
  fail,
  freePorts,
  launchChromium,
  npx,
  repo,
  runTest,
  shots,
  start,
  tanma,
  tempDir,
  waitFor,
} from './kit.mjs';

const tmp = tempDir('dashboard-e2e-');
const OWNER = 'dowen';
const PAGE = 20; // src/queries.ts PAGE_SIZE
const PAGES = 4; // the first page, then three scrolls
// The key the second gateway accepts: without the personal-data permission.
const MASKED_KEY = 'e2e-dashboard-key-without-personal-data';

// sandboxURL finds the embedded sandbox's address in the gateway's JSON log.
function sandboxURL(gateway) {
  for (const line of gateway.output.split('\n')) {
    try {
      const entry = JSON.parse(line);
      if (typeof entry.sandbox === 'string' && entry.sandbox.startsWith('http')) return entry.sandbox;
    } catch {
      // not a JSON line
    }
  }
  fail(`no sandbox address in the gateway log:\n${gateway.output}`);
}

function field(item, key) {
  return item.fields?.find((f) => f.field === key)?.valueAsText ?? null;
}

// The gateway's masking of a phone number for a caller without
// personal-data (graph/model/personal.go MaskPhone), restated: the first 3
// and last 4 digits kept, or the last 2 of 7 digits or fewer; a country code
// and anything but digits kept.
function serverMask(s) {
  let prefix = '';
  let number = s;
  if (s.startsWith('+') || s.startsWith('00')) {
    const i = s.search(/[ -]/);
    if (i > 0 && i <= 5) [prefix, number] = [s.slice(0, i + 1), s.slice(i + 1)];
  }
  const digits = [...number].filter((r) => r >= '0' && r <= '9').length;
  const [head, tail] = digits <= 7 ? [0, 2] : [3, 4];
  let i = 0;
  let out = prefix;
  for (const r of number) {
    if (r < '0' || r > '9') out += r;
    else out += i < head || i >= digits - tail ? r : '*';
    if (r >= '0' && r <= '9') i++;
  }
  return out;
}

// The dashboard's masking (src/mask.ts), restated so a change there is caught.
function mask(m) {
  if (m.length >= 8) return `${m.slice(0, 3)}****${m.slice(-4)}`;
  if (m.length > 2) return `${'*'.repeat(m.length - 2)}${m.slice(-2)}`;
  return m;
}

async function expectedCustomers(base, n) {
  const out = [];
  let cursor = '';
  while (out.length < n) {
    const body = { qwUserId: OWNER, size: 100 };
    if (cursor) body.cursor = cursor;
    const data = await tanma(base, '/api/v3/customer-relation/list-by-qw-user-id', body);
    for (const c of data.list) {
      const mobiles = JSON.parse(field(c, 'mobile') ?? '[]');
      out.push({ id: String(c.customerId), name: field(c, 'name') ?? '—', mobiles: mobiles.map(String) });
    }
    if (!data.nextCursor) break;
    cursor = data.nextCursor;
  }
  return out.slice(0, n);
}

function sameTree(a, b) {
  const files = readdirSync(a).sort();
  assertEqual(readdirSync(b).sort(), files, `files of ${b}`);
  for (const f of files) {
    if (readFileSync(join(a, f), 'utf8') !== readFileSync(join(b, f), 'utf8')) {
      fail(`src/gql/${f} is stale: run \`npm run codegen\` in examples/dashboard with the gateway running`);
    }
  }
}

async function main() {
  mkdirSync(shots, { recursive: true });
  const bin = buildGateway(tmp);
  // Free ports, not 5173: the gateway's CORS origin names the dashboard's.
  const [port, appPort, maskedPort, maskedAppPort] = await freePorts(4);
  const gwURL = `http://127.0.0.1:${port}`;
  const appURL = `http://127.0.0.1:${appPort}/`;
  const maskedGwURL = `http://127.0.0.1:${maskedPort}`;
  const maskedAppURL = `http://127.0.0.1:${maskedAppPort}/`;
  const base = { PATH: process.env.PATH, HOME: tmp };
  // No Tanma credentials, no caller auth: the zero-configuration sandbox
  // (only the dashboard's origin listed).
  const gateway = start(bin, [], {
    env: { ...base, PORT: String(port), CORS_ALLOWED_ORIGINS: appURL.slice(0, -1) },
  });
  // The sandbox again, callers authenticated by an API key that lacks
  // personal-data: the gateway masks phone numbers for it.
  const maskedGateway = start(bin, [], {
    env: {
      ...base,
      PORT: String(maskedPort),
      CORS_ALLOWED_ORIGINS: maskedAppURL.slice(0, -1),
      API_KEYS: JSON.stringify([
        { id: 'dashboard', sha256: createHash('sha256').update(MASKED_KEY).digest('hex'), permissions: [] },
      ]),
    },
  });
  await waitFor(`${gwURL}/healthz`, gateway);
  await waitFor(`${maskedGwURL}/healthz`, maskedGateway);
  const sandbox = sandboxURL(gateway);

  console.log('checking the generated types against the live schema');
  const fresh = join(tmp, 'gql');
  npx(['graphql-codegen', '--config', 'codegen.ts', '--silent'], { CODEGEN_SCHEMA_URL: `${gwURL}/query`, CODEGEN_OUT: `${fresh}/` });
  sameTree(join(app, 'src/gql'), fresh);
  npx(['tsc', '--noEmit']);
  await sdlAcceptsDefer(gwURL);

  console.log('relay: compile against graph/schema.generated.graphql, run the refetch and pagination queries');
  npx(['relay-compiler']);
  await relayQueries(gwURL);

  console.log('building and serving the dashboard, and the one with an API key');
  npx(['vite', 'build', '--logLevel', 'warn', '--emptyOutDir', '--outDir', join(tmp, 'dist')], { VITE_GRAPHQL_URL: `${gwURL}/query` });
  npx(['vite', 'build', '--logLevel', 'warn', '--emptyOutDir', '--outDir', join(tmp, 'dist-masked')], {
    VITE_GRAPHQL_URL: `${maskedGwURL}/query`,
    VITE_API_KEY: MASKED_KEY,
  });
  const preview = start('npx', ['vite', 'preview', '--outDir', join(tmp, 'dist'), '--port', String(appPort), '--strictPort'], { cwd: app });
  const maskedPreview = start(
    'npx',
    ['vite', 'preview', '--outDir', join(tmp, 'dist-masked'), '--port', String(maskedAppPort), '--strictPort'],
    { cwd: app },
  );
  await waitFor(appURL, preview);
  await waitFor(maskedAppURL, maskedPreview);

  // Infinite scroll may run a page ahead of the scrolling: expect more.
  const want = await expectedCustomers(sandbox, PAGE * (PAGES + 2));
  if (want.length < PAGE * (PAGES + 2)) fail(`sandbox owner ${OWNER} has only ${want.length} customers`);

  const browser = await launchChromium();
  try {
    await urqlClient(browser, appURL, gwURL, want);

    // Shorter than one page of rows, so the first page does not already
    // show the infinite-scroll sentinel.
    const page = await browser.newPage({ viewport: { width: 1400, height: 640 } });
    const frames = watchSockets(page);
    const problems = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));

    console.log('dashboard: pick a staff member');
    await page.goto(appURL);
    await page.locator(`select[aria-label="staff member"] option[value="${OWNER}"]`).waitFor({ state: 'attached' });
    await page.selectOption('select[aria-label="staff member"]', OWNER);
    await waitRows(page, PAGE);

    for (let p = 2; p <= PAGES; p++) {
      console.log(`dashboard: scroll to page ${p}`);
      await page.locator('.more').scrollIntoViewIfNeeded();
      await waitRows(page, PAGE * p);
    }
    await settle(page);
    // Rows and the count line in one read: infinite scroll may still add a
    // page between two separate reads.
    const { shown, count } = await page.evaluate(() => ({
      shown: [...document.querySelectorAll('tbody tr[data-customer-id]')].map((tr) => ({
        id: tr.getAttribute('data-customer-id'),
        name: tr.querySelector('.name').textContent,
        mobile: tr.querySelector('.mobile').textContent,
      })),
      count: document.querySelector('[data-testid=count]').textContent,
    }));
    if (shown.length > want.length) fail(`${shown.length} rows, more than expected`);
    assertEqual(
      shown,
      want.slice(0, shown.length).map((c) => ({ id: c.id, name: c.name, mobile: c.mobiles.map(mask).join(', ') || '—' })),
      'rows after scrolling (order, name, masked mobile)',
    );
    if (!count.startsWith(`${shown.length} of `)) fail(`count line: ${count}`);
    await page.screenshot({ path: join(shots, 'dashboard.png') });

    const pick = want[PAGE * (PAGES - 1) + 5];
    console.log(`dashboard: open customer ${pick.id}`);
    await page.locator(`tr[data-customer-id="${pick.id}"]`).click();
    await page.getByTestId('detail-customer-id').filter({ hasText: pick.id }).waitFor();
    assertEqual(await page.locator('[data-testid=detail] h2').textContent(), pick.name, 'detail name');
    assertEqual(await page.getByTestId('detail-mobiles').textContent(), pick.mobiles.join(', ') || '—', 'detail mobiles');
    await page.screenshot({ path: join(shots, 'dashboard-detail.png') });
    if (problems.length) fail(problems.join('\n'));

    await liveRow(page, gwURL, want[1], frames);

    console.log('playground: run the preloaded query');
    await page.goto(`${gwURL}/`);
    const answer = page.waitForResponse(
      (r) => r.url().endsWith('/query') && (r.request().postData() ?? '').includes('"operationName":"Customers"'),
    );
    await page.locator('.graphiql-execute-button').click();
    const body = await (await answer).json();
    if (body.errors) fail(`playground query failed: ${JSON.stringify(body.errors)}`);
    assertEqual(
      body.data.customers.edges.map((e) => e.node.customerId),
      want.slice(0, 10).map((c) => c.id),
      'customers the playground query returned',
    );
    // The result pane renders it (CodeMirror draws only the visible lines).
    await page.waitForFunction(
      (id) => document.querySelector('.result-window')?.textContent.includes(id),
      want[0].id,
      { timeout: 15000 },
    );
    await page.screenshot({ path: join(shots, 'playground.png') });

    // A query typed over the tab and run at once must run as typed: GraphiQL
    // works out the operation name a moment after an edit, and once sent
    // the previous tab's (operation Customers not found).
    for (const [query, want] of [
      ['{ __typename }', { __typename: 'Query' }],
      ['query Again { __typename }', { __typename: 'Query' }],
      ['{ staffMember(qwUserId: "dowen") { qwUserId } }', { staffMember: { qwUserId: 'dowen' } }],
    ]) {
      console.log(`playground: type ${query} and run it at once`);
      await page.locator('.graphiql-query-editor .CodeMirror').first().click();
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.type(query, { delay: 0 });
      const typed = page.waitForResponse(
        (r) => r.url().endsWith('/query') && (r.request().postData() ?? '').includes(JSON.stringify(query)),
      );
      await page.locator('.graphiql-execute-button').click();
      const got = await (await typed).json();
      if (got.errors) fail(`typed query ${query} failed: ${JSON.stringify(got.errors)}`);
      assertEqual(got.data, want, `the answer to ${query}`);
    }
    await playgroundSubscription(page, gwURL, want[2], frames);
    if (problems.length) fail(problems.join('\n'));

    await maskedDashboard(browser, maskedAppURL, maskedGwURL, want);
  } finally {
    await browser.close();
  }
  console.log(
    `e2e: urql ran a GET query and heard a subscription event; the dashboard showed the sandbox's customers page after page and a change live; ` +
      `the playground ran its queries and a subscription; with a key without personal-data the numbers came masked`,
  );
}

// watchSockets records the frames of every WebSocket the page opens.
function watchSockets(page) {
  const frames = { sent: [], received: [] };
  page.on('websocket', (ws) => {
    ws.on('framesent', (f) => frames.sent.push(String(f.payload)));
    ws.on('framereceived', (f) => frames.received.push(String(f.payload)));
  });
  return frames;
}

// subscriptions is the gateway's gateway_subscriptions gauge (sandbox mode
// serves /metrics beside /query).
async function subscriptions(gwURL) {
  const text = await (await fetch(`${gwURL}/metrics`)).text();
  const m = text.match(/^gateway_subscriptions (\d+)/m);
  if (!m) fail('no gateway_subscriptions in /metrics');
  return Number(m[1]);
}

// subscribed waits until the page has sent a subscribe frame containing
// marker (frames are recorded from the socket's start: one sent before the
// wait began is not missed) and the gateway has n subscriptions open, so
// an event sent next reaches it.
async function subscribed(page, gwURL, frames, marker, n) {
  for (let i = 0; ; i++) {
    const sent = frames.sent.some((f) => f.includes('"subscribe"') && f.includes(marker));
    if (sent && (await subscriptions(gwURL)) === n) return;
    if (i > 150) fail(`no subscription with ${marker} open (frames sent: ${frames.sent.join(' | ')})`);
    await page.waitForTimeout(100);
  }
}

// liveRow changes a customer shown in the table from a second client (a
// customerUpdate mutation through the gateway; the sandbox then pushes
// customer_contact_edit to the gateway's receiver, as Tanma would) and waits
// for the row to show the new name: over the page's WebSocket subscription,
// without a reload and without the page asking /query again.
async function liveRow(page, gwURL, customer, frames) {
  console.log(`dashboard: rename customer ${customer.id} from another client; the row updates live`);
  // The table subscribed when it mounted.
  await subscribed(page, gwURL, frames, 'CustomerChanged', 1);
  await page.evaluate(() => {
    window.__notReloaded = true;
  });
  const queries = [];
  const onRequest = (r) => {
    if (r.url().startsWith(`${gwURL}/query`)) queries.push(r.postData() ?? r.url());
  };
  page.on('request', onRequest);

  const name = `${customer.name}·live`;
  const done = await gql(
    gwURL,
    `mutation($id: ID!, $name: String!) { customerUpdate(input: { id: $id, fields: [{ key: "name", text: $name }] }) { customer { name } } }`,
    { id: customer.id, name },
  );
  assertEqual(done.customerUpdate.customer.name, name, 'the renamed customer');
  await page
    .locator(`tr[data-customer-id="${customer.id}"] .name`)
    .filter({ hasText: name })
    .waitFor({ timeout: 15000 })
    .catch(() => fail(`the row of ${customer.id} did not show "${name}" (frames received: ${frames.received.join(' | ')})`));
  await page.getByTestId('live').filter({ hasText: 'contact edited' }).waitFor({ timeout: 5000 });
  page.off('request', onRequest);
  if (!(await page.evaluate(() => window.__notReloaded === true))) fail('the page reloaded');
  if (queries.length) fail(`the page asked /query again instead of using the event: ${queries.join(' | ')}`);
  await page.locator(`tr[data-customer-id="${customer.id}"]`).scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(shots, 'dashboard-live.png') });
}

// playgroundSubscription runs the playground's Live tab (a subscription over
// its WebSocket, credentials from the Headers tab), tags a customer through
// the sandbox's simulate endpoint (Tanma's change_customer_tag push) and
// waits for the event in the result pane.
async function playgroundSubscription(page, gwURL, customer, frames) {
  const tag = await newTag(gwURL, customer.id);

  console.log(`playground: run the Live subscription, tag customer ${customer.id}, see the event`);
  // A click on a tab may land while GraphiQL is still busy with the last
  // run and be lost: click until the editor shows the tab's query (its first
  // line; CodeMirror draws only the lines in view).
  for (let i = 0; ; i++) {
    await page.locator('.graphiql-tab', { hasText: 'Live' }).locator('button').first().click();
    const shown = await page
      .waitForFunction(() => document.querySelector('.graphiql-query-editor')?.textContent.includes('# Live data'), null, {
        timeout: 2000,
      })
      .then(() => true, () => false);
    if (shown) break;
    if (i === 5) fail('the playground did not switch to the Live tab');
  }
  // The dashboard's subscription ended with its page.
  for (let i = 0; (await subscriptions(gwURL)) !== 0; i++) {
    if (i > 150) fail('the dashboard left its subscription open');
    await page.waitForTimeout(100);
  }
  const opened = page.waitForEvent('websocket', { timeout: 15000 });
  await page.locator('.graphiql-execute-button').click();
  const ws = await opened;
  if (!ws.url().startsWith(gwURL.replace('http', 'ws'))) fail(`the playground opened ${ws.url()}`);
  await subscribed(page, gwURL, frames, '"operationName":"Live"', 1);

  await simulateTag(gwURL, customer.id, tag);
  await page.waitForFunction(
    (id) => {
      const text = document.querySelector('.result-window')?.textContent ?? '';
      return text.includes('TAGS_CHANGED') && text.includes(id);
    },
    customer.id,
    { timeout: 15000 },
  );
  await page.screenshot({ path: join(shots, 'playground-live.png') });
}

// newTag picks a tag of the library that the customer does not have.
async function newTag(gwURL, customerId) {
  const { customer: c, tagGroups } = await gql(
    gwURL,
    `query($id: ID!) { customer(id: $id) { tags { tagId } } tagGroups { tags { tagId } } }`,
    { id: customerId },
  );
  const has = new Set(c.tags.map((t) => t.tagId));
  const tag = tagGroups.flatMap((g) => g.tags).find((t) => !has.has(t.tagId));
  if (!tag) fail(`customer ${customerId} already has every tag`);
  return tag;
}

// simulateTag tags a customer through the sandbox's simulate endpoint: the
// sandbox pushes change_customer_tag to the gateway, as Tanma would.
async function simulateTag(gwURL, customerId, tag) {
  const r = await fetch(`${gwURL}/sandbox/simulate/customer-tag`, {
    method: 'POST',
    body: JSON.stringify({ customerId, tagId: tag.tagId }),
  });
  if (r.status !== 200) fail(`simulate customer-tag: ${r.status} ${await r.text()}`);
}

// sdlAcceptsDefer builds the schema from the served SDL with graphql-js, as
// SDL-reading tools do, and validates a document that defers a fragment:
// the SDL must declare @defer (graphql-js declares only the specification's
// directives itself).
async function sdlAcceptsDefer(gwURL) {
  console.log('graphql-js: the served SDL builds and accepts @defer');
  const sdl = await (await fetch(`${gwURL}/schema.graphql`)).text();
  const committed = readFileSync(join(repo, 'graph/schema.generated.graphql'), 'utf8');
  if (sdl !== committed) fail('GET /schema.graphql differs from graph/schema.generated.graphql');
  const schema = buildSchema(sdl);
  const doc = parse(`query($owner: ID!) {
    customers(ownerId: $owner, first: 2) { edges { node { id ... @defer(label: "slow") { followUps(first: 1) { edges { cursor } } } } } }
  }`);
  const errors = validate(schema, doc);
  if (errors.length) fail(`graphql-js refuses a deferred document against the SDL: ${errors.map((e) => e.message).join('; ')}`);
}

// urqlClient opens the urql page (urql.html, src/urql.ts: @urql/core with
// its defaults) on the sandbox gateway: its query goes as GET with no
// preflight header and lists the owner's first page; then a tag added
// through the sandbox reaches it over subscriptionExchange and graphql-ws.
async function urqlClient(browser, appURL, gwURL, want) {
  console.log('urql: the first page as a GET query with urql\'s defaults');
  const page = await browser.newPage();
  const frames = watchSockets(page);
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  const sent = [];
  page.on('request', (r) => {
    if (r.url().startsWith(`${gwURL}/query`)) sent.push({ method: r.method(), headers: r.headers() });
  });
  const answered = page.waitForResponse((r) => r.url().startsWith(`${gwURL}/query?`) && r.request().method() === 'GET');
  await page.goto(`${appURL}urql.html?owner=${OWNER}`);
  const res = await answered;
  if (res.status() !== 200) fail(`urql's GET query answered ${res.status()}: ${await res.text()}`);
  await page.waitForFunction(() => window.__urql?.customers || window.__urql?.queryError, null, { timeout: 15000 });
  const state = await page.evaluate(() => window.__urql);
  if (state.queryError) fail(`urql's query failed: ${state.queryError}`);
  assertEqual(
    state.customers.map((c) => ({ id: c.customerId, name: c.name ?? '—', mobiles: c.mobiles })),
    want.slice(0, PAGE).map((c) => ({ id: c.id, name: c.name, mobiles: c.mobiles })),
    'urql: the first page',
  );
  if (!sent.length || sent.some((r) => r.method !== 'GET')) fail(`urql's queries: ${JSON.stringify(sent.map((r) => r.method))}, want GET only`);
  for (const r of sent) {
    for (const h of ['graphql-require-preflight', 'apollo-require-preflight', 'x-apollo-operation-name']) {
      if (h in r.headers) fail(`urql sent ${h}: the test is of its defaults`);
    }
  }

  const customer = want[4];
  console.log(`urql: subscribe, tag customer ${customer.id} through the sandbox, get the event`);
  await subscribed(page, gwURL, frames, 'CustomerChanged', 1);
  await simulateTag(gwURL, customer.id, await newTag(gwURL, customer.id));
  await page
    .waitForFunction((id) => window.__urql.events.some((e) => e.kind === 'TAGS_CHANGED' && e.customerId === id), customer.id, {
      timeout: 15000,
    })
    .catch(async () => fail(`urql heard no TAGS_CHANGED for ${customer.id}: ${JSON.stringify(await page.evaluate(() => window.__urql))}`));
  await page.screenshot({ path: join(shots, 'urql.png') });
  if (problems.length) fail(problems.join('\n'));
  await page.close();
  // Its subscription ends with the page (the dashboard's is counted next).
  for (let i = 0; (await subscriptions(gwURL)) !== 0; i++) {
    if (i > 150) fail('the urql page left its subscription open');
    await new Promise((r) => setTimeout(r, 100));
  }
}

// maskedDashboard opens the dashboard built with VITE_API_KEY, a key
// without the personal-data permission, on the gateway that knows it: the
// gateway answers masked numbers (read from its answer, so the masking is
// the server's), the table shows them and no whole mobile number, and the
// key went with every request and in the socket's connectionParams.
async function maskedDashboard(browser, appURL, gwURL, want) {
  console.log('dashboard with an API key without personal-data: numbers masked by the gateway');
  const anonymous = await fetch(`${gwURL}/query`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ query: '{ __typename }' }),
  });
  if (anonymous.status !== 401) fail(`the keyed gateway answered ${anonymous.status} without a key, want 401`);

  const page = await browser.newPage({ viewport: { width: 1400, height: 640 } });
  const frames = watchSockets(page);
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  const keys = [];
  page.on('request', (r) => {
    if (r.url().startsWith(`${gwURL}/query`)) keys.push(r.headers()['x-api-key'] ?? null);
  });
  const answer = page.waitForResponse(
    (r) => r.url().startsWith(`${gwURL}/query`) && (r.request().postData() ?? '').includes('"operationName":"CustomerTable"'),
  );
  await page.goto(appURL);
  await page.locator(`select[aria-label="staff member"] option[value="${OWNER}"]`).waitFor({ state: 'attached' });
  await page.selectOption('select[aria-label="staff member"]', OWNER);
  const body = await (await answer).json();
  if (body.errors) fail(`CustomerTable with the key: ${JSON.stringify(body.errors)}`);
  const first = want.slice(0, PAGE);
  assertEqual(
    body.data.customers.edges.map((e) => ({ id: e.node.customerId, mobiles: e.node.mobiles })),
    first.map((c) => ({ id: c.id, mobiles: c.mobiles.map(serverMask) })),
    "the gateway's answer to a key without personal-data (masked mobiles)",
  );
  if (!first.some((c) => c.mobiles.some((m) => /^1\d{10}$/.test(m)))) fail('no 11-digit mobile on the first page to see masked');
  for (const e of body.data.customers.edges) {
    for (const m of e.node.mobiles) if (/\d{7}/.test(m)) fail(`the gateway answered a whole number: ${m}`);
  }

  await waitRows(page, PAGE);
  const { shown, text } = await page.evaluate(() => ({
    shown: [...document.querySelectorAll('tbody tr[data-customer-id]')].map((tr) => ({
      id: tr.getAttribute('data-customer-id'),
      name: tr.querySelector('.name').textContent,
      mobile: tr.querySelector('.mobile').textContent,
    })),
    text: document.body.innerText,
  }));
  assertEqual(
    shown.slice(0, PAGE),
    first.map((c) => ({ id: c.id, name: c.name, mobile: c.mobiles.map(mask).join(', ') || '—' })),
    'rows with the key (order, name, masked mobile)',
  );
  if (/1\d{10}/.test(shown.map((r) => r.mobile).join(' '))) fail('a whole mobile number in the table');
  for (const c of first) for (const m of c.mobiles) if (m.length >= 8 && text.includes(m)) fail(`the page shows ${m} whole`);
  if (!keys.length || keys.some((k) => k !== MASKED_KEY)) fail(`requests without the key: ${JSON.stringify(keys)}`);

  // The table's subscription authenticated with the key in connectionParams.
  for (let i = 0; !frames.received.some((f) => f.includes('"connection_ack"')); i++) {
    if (i > 150) fail(`no connection_ack with the key (frames received: ${frames.received.join(' | ')})`);
    await page.waitForTimeout(100);
  }
  const init = frames.sent.find((f) => f.includes('"connection_init"'));
  if (!init || JSON.parse(init).payload?.['X-API-Key'] !== MASKED_KEY) fail(`connection_init without the key: ${init}`);
  await page.screenshot({ path: join(shots, 'dashboard-masked.png') });
  if (problems.length) fail(problems.join('\n'));
  await page.close();
}

// relayOperation reads the operation text relay-compiler generated.
function relayOperation(name) {
  const src = readFileSync(join(app, `relay/__generated__/${name}.graphql.ts`), 'utf8');
  const m = src.match(/"text": ("(?:[^"\\]|\\.)*")/);
  if (!m) fail(`no operation text in the ${name} artifact`);
  return JSON.parse(m[1]);
}

async function gql(gwURL, query, variables) {
  const r = await fetch(`${gwURL}/query`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = await r.json();
  if (r.status !== 200 || body.errors) fail(`${r.status} ${JSON.stringify(body.errors)}`);
  return body.data;
}

// relayQueries runs what Relay would send: the @refetchable queries go
// through Query.node with global ids, and the @connection one pages.
async function relayQueries(gwURL) {
  const first = await gql(gwURL, relayOperation('CustomerListQuery'), { ownerId: OWNER, count: 3, cursor: null });
  const edges = first.customers.edges;
  assertEqual(edges.length, 3, 'CustomerListQuery edges');
  if (!first.customers.pageInfo?.hasNextPage) fail('CustomerListQuery: no next page for a large owner');
  const row = await gql(gwURL, relayOperation('CustomerRowRefetchQuery'), { id: edges[0].node.id });
  assertEqual(row.node.id, edges[0].node.id, 'CustomerRowRefetchQuery refetched id');
  assertEqual(row.node.customerId, edges[0].node.customerId, 'CustomerRowRefetchQuery customerId');
  const staff = await gql(gwURL, `query($q: String!) { staffMember(qwUserId: $q) { id } }`, { q: OWNER });
  const page = await gql(gwURL, relayOperation('CustomerListPaginationQuery'), {
    id: staff.staffMember.id,
    count: 2,
    cursor: first.customers.pageInfo.endCursor,
  });
  const five = await gql(gwURL, relayOperation('CustomerListQuery'), { ownerId: OWNER, count: 5, cursor: null });
  assertEqual(
    page.node.customers.edges.map((e) => e.node.customerId),
    five.customers.edges.slice(3).map((e) => e.node.customerId),
    'CustomerListPaginationQuery: the 4th and 5th customers',
  );
}

// settle waits until the table has stopped growing for a moment.
async function settle(page) {
  let last = -1;
  for (let i = 0; i < 50; i++) {
    const n = await page.locator('tbody tr[data-customer-id]').count();
    if (n === last) return;
    last = n;
    await page.waitForTimeout(400);
  }
  fail('the table kept growing');
}

async function waitRows(page, n) {
  await page.waitForFunction((n) => document.querySelectorAll('tbody tr[data-customer-id]').length >= n, n, {
    timeout: 15000,
  });
  const got = await page.locator('tbody tr[data-customer-id]').count();
  if (got % PAGE !== 0 || got > n + PAGE) fail(`expected ${n} rows (a page more at most), got ${got}`);
}

await runTest(main);
