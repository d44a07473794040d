// Runs every server audit of graphql-http (the GraphQL over HTTP spec's
// compliance suite) against a running gateway and prints each result.
//
//   GATEWAY_URL=http://127.0.0.1:8080/query node audit.mjs
//
// Exit status: 0 when every MUST passes (warnings and notices are printed but
// do not fail), 1 when a MUST fails or an audit cannot run at all.
import { serverAudits } from 'graphql-http';

const url = process.env.GATEWAY_URL || 'http://127.0.0.1:8080/query';

// The gateway refuses a GET query without a preflight-forcing header: a
// cross-site <img> or link must not be able to run a query with the user's
// network position (README, "Running in production", "Browsers"). Every real
// client of ours sends `GraphQL-Require-Preflight: 1`, so the audit does too,
// on every request (a POST ignores it).
const preflightFetch = (input, init = {}) => {
  const headers = new Headers(init.headers);
  headers.set('GraphQL-Require-Preflight', '1');
  return fetch(input, { ...init, headers });
};

const counts = { ok: 0, warn: 0, notice: 0, error: 0 };
const results = [];
for (const audit of serverAudits({ url, fetchFn: preflightFetch })) {
  let result;
  try {
    result = await audit.fn();
  } catch (err) {
    // graphql-http throws only on fatal problems (the server is unreachable,
    // the audit itself broke): count it as a failed requirement.
    result = { id: audit.id, name: audit.name, status: 'error', reason: `fatal: ${err?.message ?? err}` };
  }
  results.push(result);
  counts[result.status] = (counts[result.status] ?? 0) + 1;
  let line = `${result.status.padEnd(6)} ${result.id} ${result.name}`;
  if (result.status !== 'ok') {
    line += `\n         reason: ${result.reason}`;
    if (result.response) line += ` (HTTP ${result.response.status})`;
  }
  console.log(line);
}

console.log(
  `\naudited ${url}: ${results.length} audits, ${counts.ok} ok, ${counts.warn} warn (SHOULD), ` +
    `${counts.notice} notice (MAY), ${counts.error} error (MUST)`,
);
if (counts.error > 0) {
  console.error(`${counts.error} MUST audit(s) failed`);
  process.exit(1);
}
