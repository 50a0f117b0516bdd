// The console's addresses under /console/: the sittings list, one sitting's console, a body's
// roster, administration, and set-up (bodies with their rosters, rooms and streams). Pure.

export type Route =
  | { page: 'sittings' }
  | { page: 'sitting'; sittingId: string }
  | { page: 'roster'; bodyId: string }
  | { page: 'admin' }
  | { page: 'setup' }
  /** Editing a body; `bodyId` null: a new one. */
  | { page: 'body-edit'; bodyId: string | null }
  | { page: 'not-found' };

export const CONSOLE_BASE = '/console';

export function parseRoute(pathname: string): Route {
  const rest = pathname.startsWith(CONSOLE_BASE) ? pathname.slice(CONSOLE_BASE.length) : pathname;
  const parts = rest.split('/').filter(Boolean).map(decodeURIComponent);
  const [first, second, third] = parts;
  if (parts.length === 0) return { page: 'sittings' };
  if (first === 'sittings' && second !== undefined && parts.length === 2) return { page: 'sitting', sittingId: second };
  if (first === 'bodies' && second !== undefined && parts.length === 2) return { page: 'roster', bodyId: second };
  if (first === 'admin' && parts.length === 1) return { page: 'admin' };
  if (first === 'setup' && parts.length === 1) return { page: 'setup' };
  if (first === 'setup' && second === 'new-body' && parts.length === 2) return { page: 'body-edit', bodyId: null };
  if (first === 'setup' && second === 'bodies' && third !== undefined && parts.length === 3) return { page: 'body-edit', bodyId: third };
  return { page: 'not-found' };
}

export function routePath(route: Route): string {
  switch (route.page) {
    case 'sittings':
    case 'not-found':
      return `${CONSOLE_BASE}/`;
    case 'sitting':
      return `${CONSOLE_BASE}/sittings/${encodeURIComponent(route.sittingId)}`;
    case 'roster':
      return `${CONSOLE_BASE}/bodies/${encodeURIComponent(route.bodyId)}`;
    case 'admin':
      return `${CONSOLE_BASE}/admin`;
    case 'setup':
      return `${CONSOLE_BASE}/setup`;
    case 'body-edit':
      return route.bodyId === null ? `${CONSOLE_BASE}/setup/new-body` : `${CONSOLE_BASE}/setup/bodies/${encodeURIComponent(route.bodyId)}`;
  }
}
