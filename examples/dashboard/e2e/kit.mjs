// What the browser tests (run.mjs, defer.mjs) share: the gateway built
// into a temporary directory, processes started in their own process group
// and ended when the test ends, free ports, waiting for a URL to answer,
// signed calls straight to the sandbox, headless Chromium, assertions, and
// the runner that prints what the processes wrote when a test fails.
import { spawn, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const app = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const repo = resolve(app, '../..');
export const shots = join(app, 'screenshots');

// The sandbox's credentials (the test vectors of tanma-api.md).
export const APP_ID = 'ww0000000000000000_TEST01';
export const APP_KEY = 'testAppKey0123456789abcdefABCDEF';

const children = [];
const dirs = [];

export function fail(msg) {
  throw new Error(msg);
}

export function assertEqual(got, want, what) {
  const g = JSON.stringify(got);
  const w = JSON.stringify(want);
  if (g !== w) fail(`${what}: got ${g}, want ${w}`);
}

// tempDir is a new temporary directory, removed when the test ends.
export function tempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

// buildGateway builds the gateway into dir and returns the binary's path.
export function buildGateway(dir) {
  console.log('building the gateway');
  const bin = join(dir, 'gateway');
  execFileSync('go', ['build', '-o', bin, '.'], { cwd: repo, stdio: 'inherit' });
  return bin;
}

// npx runs an npm package's command in the dashboard's directory.
export function npx(args, env = {}) {
  execFileSync('npx', args, { cwd: app, stdio: 'inherit', env: { ...process.env, ...env } });
}

// freePorts finds n distinct free ports (each listener is held until all
// are found, so none is handed out twice).
export async function freePorts(n) {
  const servers = [];
  try {
    for (let i = 0; i < n; i++) {
      servers.push(
        await new Promise((res, rej) => {
          const s = createServer().listen(0, '127.0.0.1', () => res(s));
          s.on('error', rej);
        }),
      );
    }
    return servers.map((s) => s.address().port);
  } finally {
    await Promise.all(servers.map((s) => new Promise((res) => s.close(res))));
  }
}

// start runs cmd with its output kept in child.output; it is ended when
// the test ends.
export function start(cmd, args, opts) {
  // Its own process group, so cleanup also ends what npx starts.
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true, ...opts });
  child.output = '';
  child.stdout.on('data', (d) => (child.output += d));
  child.stderr.on('data', (d) => (child.output += d));
  children.push(child);
  return child;
}

// waitFor waits until url answers as ready says (by default: 2xx to a
// GET), failing as soon as child exits.
export async function waitFor(url, child, { seconds = 30, method = 'GET', ready = (r) => r.ok } = {}) {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) fail(`${child.spawnargs.join(' ')} exited:\n${child.output}`);
    try {
      const r = await fetch(url, { method });
      if (ready(r)) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  fail(`${url} did not answer within ${seconds}s:\n${child.output}`);
}

// tanma calls the sandbox as Tanma's clients do: sign = sha256(appId +
// timestamp + body + appKey).
export async function tanma(base, path, body) {
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

// launchChromium starts headless Chromium: CHROMIUM_PATH, else Debian's.
export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
}

function cleanup() {
  for (const c of children) {
    if (c.exitCode === null) {
      try {
        process.kill(-c.pid, 'SIGTERM');
      } catch {
        c.kill('SIGTERM');
      }
    }
  }
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}

// runTest runs main, then ends the processes, removes the directories and
// exits: with status 0, or when main fails with status 1 once it has
// printed why and the end of each process's output.
export async function runTest(main) {
  try {
    await main();
    cleanup();
    process.exit(0);
  } catch (err) {
    console.error(`e2e failed: ${err.message}`);
    for (const c of children) if (c.output) console.error(`--- ${c.spawnargs.join(' ')}\n${c.output.slice(-4000)}`);
    cleanup();
    process.exit(1);
  }
}
