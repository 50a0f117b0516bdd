// JSON over HTTP for the console's reads and its session and admin calls. A refusal carries the
// server's error body (code + catalogue texts); a failed request (no answer) carries null.
import type { ErrorBody } from '../../../../protocol/errors.ts';

/** Asking who is logged in, and logging in, answer 401 as a plain "no". */
const LOGIN_CALLS = new Set(['GET /api/session', 'POST /api/session']);
/** Told when any other request is refused for want of a valid login. */
let onUnauthorized: () => void = () => undefined;
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

export type HttpResult<T> = { ok: true; data: T } | { ok: false; status: number; error: ErrorBody | null };

export async function http<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown): Promise<HttpResult<T>> {
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      // X-Requested-With: the server refuses a cookie-authenticated change without it or a JSON
      // body (e.g. a body-less DELETE), which no other site's form can send.
      headers: { 'x-requested-with': 'radacast', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch {
    return { ok: false, status: 0, error: null };
  }
  const json: unknown = await res.json().catch(() => null);
  if (res.ok) return { ok: true, data: json as T };
  const error = (json as { error?: ErrorBody } | null)?.error ?? null;
  if (res.status === 401 && !LOGIN_CALLS.has(`${method} ${url}`)) onUnauthorized();
  return { ok: false, status: res.status, error };
}
