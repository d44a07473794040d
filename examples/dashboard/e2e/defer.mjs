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
import { spawn, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const app = resolve(here, '..');
const repo = resolve(app, '../..');
const shots = join(app, 'screenshots');
const tmp = mkdtempSync(join(tmpdir(), 'defer-e2e-'));
const children = [];

// The sandbox's credentials (the test vectors of tanma-api.md).
const APP_ID = 'ww0000000000000000_TEST01';
const APP_KEY = 'testAppKey0123456789abcdefABCDEF';
const OWNER = 'dowen';
const ROWS = 20; // defer/main.tsx's first
const LATENCY_MS = 300;
const PAGE_ORIGIN = 'http://127.0.0.1:5174'; // defer/vite.config.ts

function fail(msg) {
  throw new Error(msg);
}

function assertEqual(got, want, what) {
  const g = JSON.stringify(got);
  const w = JSON.stringify(want);
  if (g !== w) fail(`${what}: got ${g}, want ${w}`);
}

function freePort() {
  return new Promise((res, rej) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
    s.on('error', rej);
  });
}

function start(cmd, args, opts) {
  // Its own process group, so cleanup also ends what npx starts.
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, ...opts });
  child.output = '';
  child.stdout.on('data', (d) => (child.output += d));
  child.stderr.on('data', (d) => (child.output += d));
  children.push(child);
  return child;
}

async function waitFor(url, child, seconds = 30) {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) fail(`${child.spawnargs.join(' ')} exited:\n${child.output}`);
    try {
      const r = await fetch(url, { method: 'POST' });
      if (r.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  fail(`${url} did not answer within ${seconds}s:\n${child.output}`);
}

// tanma calls the sandbox as Tanma's clients do: sign = sha256(appId +
// timestamp + body + appKey).
async function tanma(base, path, body) {
  const raw = JSON.stringify(body);
  const ts = String(Date.now());
  const sign = createHash('sha256').update(APP_ID + ts + raw + APP_KEY).digest('hex');
  const r = await fetch(base + path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', appId: APP_ID, timestamp: ts, sign },
    body: raw,
  });
  const env = await r.json();
  if (env.code !== 0) fail(`${path}: code ${env.code} ${env.message}`);
  return env.data;
}

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

function npx(args, env = {}) {
  execFileSync('npx', args, { cwd: app, stdio: 'inherit', env: { ...process.env, ...env } });
}

async function main() {
  mkdirSync(shots, { recursive: true });
  console.log('building the gateway');
  execFileSync('go', ['build', '-o', join(tmp, 'gateway'), '.'], { cwd: repo, stdio: 'inherit' });
  const sbAddr = `127.0.0.1:${await freePort()}`;
  const sandbox = start(join(tmp, 'gateway'), ['sandbox', '-addr', sbAddr, '-latency', `${LATENCY_MS}ms`]);
  await waitFor(`http://${sbAddr}/api/v3/get-users`, sandbox);
  const port = await freePort();
  const gwURL = `http://127.0.0.1:${port}`;
  const gateway = start(join(tmp, 'gateway'), [], {
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
  await waitFor(`${gwURL}/query`, gateway);

  console.log('type-checking, building and serving the @defer page');
  npx(['tsc', '-p', 'defer', '--noEmit']);
  const dist = join(tmp, 'dist');
  npx(['vite', 'build', '--config', 'defer/vite.config.ts', '--outDir', dist, '--emptyOutDir', '--logLevel', 'warn'], {
    VITE_GRAPHQL_URL: `${gwURL}/query`,
  });
  const preview = start('npx', ['vite', 'preview', '--config', 'defer/vite.config.ts', '--outDir', dist], { cwd: app });
  await waitFor(`${PAGE_ORIGIN}/`, preview);

  const want = await expectedRows(`http://${sbAddr}`);
  if (want.length < ROWS) fail(`sandbox owner ${OWNER} has only ${want.length} customers`);

  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
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

function cleanup() {
  for (const c of children) {
    try {
      process.kill(-c.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  rmSync(tmp, { recursive: true, force: true });
}

main()
  .then(() => {
    cleanup();
    process.exit(0);
  })
  .catch((e) => {
    console.error(e.stack || e.message);
    cleanup();
    process.exit(1);
  });
