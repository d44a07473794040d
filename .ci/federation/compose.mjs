// Composes the supergraph from the running subgraphs, as a router's
// composition does: each subgraph's SDL from its `_service { sdl }`, then
// @theguild/federation-composition (what Hive Gateway composes with).
// The gateway's _service needs a credential with the introspect
// permission, sent as X-API-Key. Writes the supergraph SDL to OUT.
//
//   TANMA_URL=http://127.0.0.1:8080/query ORDERS_URL=http://127.0.0.1:4002/ \
//   API_KEY=... OUT=supergraph.graphql node compose.mjs
import { writeFileSync } from 'node:fs';
import { composeServices } from '@theguild/federation-composition';
import { parse } from 'graphql';

const subgraphs = [
  { name: 'tanma', url: process.env.TANMA_URL, headers: { 'x-api-key': process.env.API_KEY } },
  { name: 'orders', url: process.env.ORDERS_URL, headers: {} },
];

async function sdlOf({ name, url, headers }) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: JSON.stringify({ query: '{ _service { sdl } }' }),
  });
  const body = await res.json();
  if (res.status !== 200 || body.errors || !body.data?._service?.sdl) {
    throw new Error(`${name}: _service answered HTTP ${res.status}: ${JSON.stringify(body).slice(0, 500)}`);
  }
  return body.data._service.sdl;
}

const services = [];
for (const s of subgraphs) {
  services.push({ name: s.name, url: s.url, typeDefs: parse(await sdlOf(s)) });
}
const result = composeServices(services);
if (result.errors?.length) {
  for (const e of result.errors) console.error('composition error:', e.message);
  process.exit(1);
}
writeFileSync(process.env.OUT ?? 'supergraph.graphql', result.supergraphSdl);
console.log(`composed ${services.map((s) => s.name).join(' + ')} into ${process.env.OUT ?? 'supergraph.graphql'}`);
