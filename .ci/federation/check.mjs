// The composition test's queries, sent to the router (Hive Gateway) as a
// client would, with the gateway's own metrics read to see what reached it.
//
//   ROUTER_URL=http://127.0.0.1:4000/graphql METRICS_URL=http://127.0.0.1:9090/metrics \
//   API_KEY=... LINA_KEY=... node check.mjs
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const { ROUTER_URL, METRICS_URL, API_KEY, LINA_KEY } = process.env;

async function query(q, variables, key) {
  const headers = { 'content-type': 'application/json', accept: 'application/json' };
  if (key) headers['x-api-key'] = key;
  const res = await fetch(ROUTER_URL, { method: 'POST', headers, body: JSON.stringify({ query: q, variables }) });
  const text = await res.text();
  return { status: res.status, text, ...JSON.parse(text) };
}

// metrics reads the gateway's counters: series name and labels to value.
async function metrics() {
  const text = await (await fetch(METRICS_URL)).text();
  const out = new Map();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const i = line.lastIndexOf(' ');
    out.set(line.slice(0, i), Number(line.slice(i + 1)));
  }
  return out;
}

// total adds up the series of a metric whose labels contain every part.
function total(m, name, ...parts) {
  let sum = 0;
  for (const [series, v] of m) {
    if ((series === name || series.startsWith(name + '{')) && parts.every((p) => series.includes(p))) sum += v;
  }
  return sum;
}

// settled waits for the gateway to record what a request did (its log
// and metrics are written once its answer is out, which the router may
// forward first), then returns the difference with before.
async function settled(before, want) {
  let m;
  for (let i = 0; i < 50; i++) {
    m = await metrics();
    const d = (name, ...parts) => total(m, name, ...parts) - total(before, name, ...parts);
    if (want(d)) return d;
    await new Promise((r) => setTimeout(r, 100));
  }
  return (name, ...parts) => total(m, name, ...parts) - total(before, name, ...parts);
}

const requests = 'gateway_graphql_request_duration_seconds_count';
const batches = 'gateway_loader_batch_size_count';
const batchKeys = 'gateway_loader_batch_size_sum';
const upstream = 'gateway_upstream_request_duration_seconds_count';
let failures = 0;
let passes = 0;
async function check(name, fn) {
  try {
    await fn();
    passes++;
    console.log(`ok   ${name}`);
  } catch (err) {
    failures++;
    console.log(`FAIL ${name}\n     ${err.message.split('\n').join('\n     ')}`);
  }
}

// 1. A join: the gateway's typed customers of one page, each with its
// orders from the orders subgraph (which the router asks by customerId).
const join = `query Join { customers(ownerId: "dowen", first: 3) { edges { node {
  id customerId name gender mobiles stage { label } owner { qwUserId }
  orders { id totalCents status } } } } }`;
let page = [];
await check('a customer page joined with its orders', async () => {
  const r = await query(join, {}, API_KEY);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.errors, undefined, r.text);
  page = r.data.customers.edges.map((e) => e.node);
  assert.equal(page.length, 3, r.text);
  for (const c of page) {
    assert.match(c.customerId, /^\d+$/);
    assert.equal(typeof c.name, 'string');
    assert.ok(['MALE', 'FEMALE', 'OTHER', null].includes(c.gender), c.gender);
    assert.ok(Array.isArray(c.mobiles));
    assert.equal(c.owner.qwUserId, 'dowen');
    assert.deepEqual(c.orders.map((o) => o.id), [`${c.customerId}-1`, `${c.customerId}-2`]);
  }
});

// 2. Three customers of that page from the orders side: the router fetches
// them from the gateway in one _entities request, which the gateway
// resolves in one loader batch; the page just listed them, so they cost
// no upstream call at all.
await check('three customers of one page resolved as entities in one batch', async () => {
  assert.equal(page.length, 3, 'the join ran');
  const ids = page.map((c) => c.customerId);
  const before = await metrics();
  const r = await query(`query Batch($ids: [String!]!) { ordersOf(customerIds: $ids) {
    id customer { customerId name gender owner { qwUserId } } } }`, { ids }, API_KEY);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.errors, undefined, r.text);
  assert.equal(r.data.ordersOf.length, 6);
  for (const o of r.data.ordersOf) {
    const c = page.find((p) => p.customerId === o.customer.customerId);
    assert.ok(c, o.customer.customerId);
    assert.equal(o.customer.name, c.name);
    assert.equal(o.customer.gender, c.gender);
  }
  const d = await settled(before, (d) => d(requests) >= 1 && d(batches, 'loader="customer"') >= 1);
  console.log(`     the gateway saw ${d(requests)} request(s), ${d(batches, 'loader="customer"')} customer batch(es) of ${d(batchKeys, 'loader="customer"')} customer(s), ${d(upstream)} upstream call(s)`);
  assert.equal(d(requests), 1, 'one request from the router to the gateway');
  assert.equal(d(batches, 'loader="customer"'), 1, 'one loader batch');
  assert.equal(d(batchKeys, 'loader="customer"'), 3, 'of the three customers');
  assert.equal(d(upstream), 0, 'customers the page listed cost no upstream call');
});

// 3. The scope holds through the router: a key scoped to lina asking for
// dowen's customers gets nothing of them (NOT_FOUND, as a missing one).
await check('a scoped caller gets nothing of another staff member\'s customers', async () => {
  const ids = page.map((c) => c.customerId);
  const r = await query(`query Scoped($ids: [String!]!) { ordersOf(customerIds: $ids) { id customer { customerId name } } }`, { ids }, LINA_KEY);
  for (const c of page) assert.ok(!r.text.includes(`"name":${JSON.stringify(c.name)}`), r.text);
  const codes = (r.errors ?? []).map((e) => e.extensions?.code);
  assert.ok(codes.includes('NOT_FOUND'), r.text);
  assert.ok(codes.every((c) => c === 'NOT_FOUND'), r.text);
});

// 4. Without the credential the gateway's part is refused: 401
// UNAUTHENTICATED (the router reports it), never anonymous data.
await check('no credential: UNAUTHENTICATED, no customer data', async () => {
  const before = await metrics();
  const r = await query(join, {}, undefined);
  assert.equal(r.data?.customers ?? null, null, r.text);
  const codes = (r.errors ?? []).map((e) => e.extensions?.code);
  assert.ok(codes.includes('UNAUTHENTICATED'), r.text);
  for (const c of page) assert.ok(!r.text.includes(c.customerId), r.text);
  const d = await settled(before, (d) => d(requests, 'outcome="UNAUTHENTICATED"') >= 1);
  assert.equal(d(requests, 'outcome="UNAUTHENTICATED"'), 1, 'the gateway answered the router 401');
  assert.equal(d(upstream), 0, 'nothing reached Tanma');
});

// 5. README's supergraph example, verbatim: the query of its Federation
// section runs through the router without an error.
await check("README's supergraph example", async () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('\n## Federation\n'));
  const example = section.split('```graphql\n').slice(1).map((b) => b.slice(0, b.indexOf('```'))).find((b) => b.startsWith('{'));
  assert.ok(example, 'README has a supergraph query in its Federation section');
  const r = await query(example, {}, API_KEY);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.errors, undefined, r.text);
  assert.equal(r.data.customers.edges.length, 3, r.text);
  assert.ok(r.data.customers.edges.every((e) => e.node.orders.length === 2 && e.node.owner.name), r.text);
  assert.ok(r.data.ordersOf.every((o) => typeof o.customer.name === 'string'), r.text);
});

console.log(`${passes} passed, ${failures} failed`);
process.exit(failures ? 1 : 0);
