/** The gateway's endpoint, from VITE_GRAPHQL_URL at build time. */
export const GRAPHQL_URL = import.meta.env.VITE_GRAPHQL_URL || 'http://localhost:8080/query';

/**
 * The API key the app sends, from VITE_API_KEY at build time ("" for none:
 * the sandbox's anonymous caller). Whatever is baked into a bundle is
 * public to everyone who loads it: give a browser app a key with only the
 * permissions its users may have (without `personal-data`, the gateway
 * masks phone numbers and other personal data).
 */
export const API_KEY = import.meta.env.VITE_API_KEY || '';

/** The credentials to send: X-API-Key over HTTP and in graphql-ws's connectionParams. */
export function credentials(): Record<string, string> {
  return API_KEY ? { 'X-API-Key': API_KEY } : {};
}

/** The WebSocket address of an http(s) endpoint: subscriptions go there. */
export function socketURL(uri: string): string {
  const url = new URL(uri, window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}
