// The HTTP API with the signed-in token. Errors carry the API's {code, message, field}.
const KEY = 'abtest.token';

export class ApiError extends Error {
  constructor(status, body) {
    const e = (body && body.error) || {};
    super(e.message || `HTTP ${status}`);
    this.status = status;
    this.code = e.code;
    this.field = e.field;
  }
}

export const session = {
  get token() { return sessionStorage.getItem(KEY); },
  set token(value) {
    if (value) sessionStorage.setItem(KEY, value);
    else sessionStorage.removeItem(KEY);
  },
  role: null,
};

/** Calls the API; resolves {body, etag} or rejects with an ApiError. */
export async function call(method, path, body, headers = {}) {
  const init = { method, headers: { Authorization: `Bearer ${session.token}`, ...headers } };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  if (!response.ok) throw new ApiError(response.status, json);
  return { body: json, etag: response.headers.get('ETag') };
}

export const get = async (path) => (await call('GET', path)).body;
export const post = async (path, body) => (await call('POST', path, body)).body;

/** What a role may do, as the routes check it (Role.java). */
export const can = {
  edit: () => session.role === 'experimenter' || session.role === 'admin',
  adminOnly: () => session.role === 'admin',
};

/** The query that picks an environment's results (none for production, the default). */
export function inEnvironment(environment) {
  return environment && environment !== 'production' ? `?environment=${encodeURIComponent(environment)}` : '';
}

/** The WebSocket URL of an experiment's live results in an environment; it carries no credential. */
export function resultsSocketUrl(key, environment) {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/v1/experiments/${encodeURIComponent(key)}/results/stream${inEnvironment(environment)}`;
}

/**
 * The subprotocols to offer on the results socket: browsers can set no header on a WebSocket, and
 * a token in the URL would end up in proxy logs, so the token travels as the offer
 * `abtest.bearer.<unpadded base64url>`; the server selects `abtest.results.v1`.
 */
export function resultsSocketProtocols() {
  const bytes = new TextEncoder().encode(session.token || '');
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  const encoded = btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  return ['abtest.results.v1', `abtest.bearer.${encoded}`];
}
