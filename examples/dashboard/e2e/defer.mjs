// Browser test of @defer over multipart/mixed (defer/: a page whose
// useQuery defers each customer's latest follow-up), in headless Chromium
// (Debian's chromium driven by playwright-core; no browser download). It:
//   1. builds the gateway, starts the sandbox as its own process with
//      300 ms on every upstream answer (`gateway sandbox -latency`), and the
//      gateway over it as a real upstream, allowing the page's origin;
//   2. type-checks and builds the page with VITE_GRAPHQL_URL pointing at the
//      gateway, then serves it on 127.0.0.1:5174;
//   3. opens it for staff member "dowen" and checks that the gateway
//      answered in parts (multipart/mixed; deferSpec=20220824), that the 20
//      rows rendered while no follow-up had arrived, and that every row's
//      follow-up then arrived, later, as the sandbox has it (read straight
//      from the sandbox with signed Tanma calls).
// A screenshot goes to screenshots/defer.png. Exit status 0 on success.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  app,
  assertEqual,
  buildGateway,
  fail,
  freePorts,
  launchChromium,
  npx,
  runTest,
  shots,
  start,
  tanma,
  tempDir,
  waitFor,
  APP_ID,
  APP_KEY,
} from './kit.mjs';

const tmp = tempDir('defer-e2e-');
const OWNER = 'dowen';
const ROWS = 20; // defer/main.tsx's first
const LATENCY_MS = 300;
const PAGE_ORIGIN = 'http://127.0.0.1:5174'; // defer/vite.config.ts
// Up, for the waits below: a POST answered with anything but a 5xx.
const answering = { method: 'POST', ready: (r) => r.status < 500 };

// expectedRows reads the owner's first customers and each one's latest
// follow-up from the sandbox.
async function expectedRows(base) {
  const list = await tanma(base, '/api/v3/customer-relation/list-by-qw-user-id', { qwUserId: OWNER, size: ROWS });
  const rows = [];
  for (const c of list.list.slice(0, ROWS)) {
    const name = c.fields?.find((f) => f.field === 'name')?.valueAsText ?? '—';
    const ups = await tanma(base, '/api/v3/clue/list-follow-up', { customerId: c.customerId, size: 1 });
    rows.push({ name, followUp: ups.list[0]?.content ?? '—' });
  }
  return rows;
}

async function main() {
  mkdirSync(shots, { recursive: true });
  const bin = buildGateway(tmp);
  const [sbPort, port] = await freePorts(2);
  const sbAddr = `127.0.0.1:${sbPort}`;
  const sandbox = start(bin, ['sandbox', '-addr', sbAddr, '-latency', `${LATENCY_MS}ms`]);
  await waitFor(`http://${sbAddr}/api/v3/get-users`, sandbox, answering);
  const gwURL = `http://127.0.0.1:${port}`;
  const gateway = start(bin, [], {
    env: {
      PATH: process.env.PATH,
      HOME: tmp,
      PORT: String(port),
      TANMA_APP_ID: APP_ID,
      TANMA_APP_KEY: APP_KEY,
      TANMA_BASE_URL: `http://${sbAddr}`,
      TANMA_QPS: '0', // the follow-ups' wait is the sandbox's latency, not the quota
      INSECURE_ALLOW_UNAUTHENTICATED: 'yes-expose-customer-data',
      CORS_ALLOWED_ORIGINS: PAGE_ORIGIN,
    },
  });
  await waitFor(`${gwURL}/query`, gateway, answering);

  console.log('type-checking, building and serving the @defer page');
  npx(['tsc', '-p', 'defer', '--noEmit']);
  const dist = join(tmp, 'dist');
  npx(['vite', 'build', '--config', 'defer/vite.config.ts', '--outDir', dist, '--emptyOutDir', '--logLevel', 'warn'], {
    VITE_GRAPHQL_URL: `${gwURL}/query`,
  });
  const preview = start('npx', ['vite', 'preview', '--config', 'defer/vite.config.ts', '--outDir', dist], { cwd: app });
  await waitFor(`${PAGE_ORIGIN}/`, preview, answering);

  const want = await expectedRows(`http://${sbAddr}`);
  if (want.length < ROWS) fail(`sandbox owner ${OWNER} has only ${want.length} customers`);

  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const answers = [];
    page.on('response', (r) => {
      if (r.url() === `${gwURL}/query` && r.request().method() === 'POST') {
        answers.push({ status: r.status(), contentType: r.headers()['content-type'] ?? '' });
      }
    });
    page.on('pageerror', (e) => console.error('page error:', e.message));

    console.log(`opening the page for ${OWNER}`);
    await page.goto(`${PAGE_ORIGIN}/?owner=${OWNER}`);
    await page.waitForFunction(
      (rows) => document.querySelectorAll('td.follow-up[data-state="arrived"]').length === rows,
      ROWS,
      { timeout: 30_000 },
    );
    await page.screenshot({ path: join(shots, 'defer.png'), fullPage: true });

    assertEqual(answers.length, 1, 'requests to /query');
    assertEqual(answers[0].status, 200, 'the answer status');
    if (!/^multipart\/mixed;.*deferSpec=20220824/.test(answers[0].contentType)) {
      fail(`the gateway did not answer in parts: Content-Type ${answers[0].contentType}`);
    }

    const renders = await page.evaluate(() => window.__renders);
    const rowsFirst = renders.find((r) => r.rows === ROWS && r.arrived === 0);
    const complete = renders.find((r) => r.rows === ROWS && r.arrived === ROWS);
    if (!rowsFirst) fail(`no render showed the rows before their follow-ups: ${JSON.stringify(renders)}`);
    if (!complete) fail(`no render showed every follow-up: ${JSON.stringify(renders)}`);
    if (renders.some((r) => r.rows > 0 && r.rows < ROWS)) fail(`a render showed part of the rows: ${JSON.stringify(renders)}`);
    const gap = complete.at - rowsFirst.at;
    // The follow-ups are read after the rows, each taking the sandbox's latency.
    if (gap < LATENCY_MS / 2) fail(`the follow-ups arrived ${gap.toFixed(0)} ms after the rows: not later`);
    console.log(`rows rendered at ${rowsFirst.at.toFixed(0)} ms, every follow-up at ${complete.at.toFixed(0)} ms (${gap.toFixed(0)} ms later)`);

    const got = await page.$$eval('tbody tr', (trs) =>
      trs.map((tr) => ({ name: tr.querySelector('.name').textContent, followUp: tr.querySelector('.follow-up').textContent })),
    );
    assertEqual(got, want, 'rows and their latest follow-ups');
    console.log('ok: @defer over multipart/mixed in Apollo Client');
  } finally {
    await browser.close();
  }
}

await runTest(main);
