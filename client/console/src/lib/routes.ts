// The console's addresses under /console/: the sittings list, one sitting's console, a body's
// roster, administration. Pure.

export type Route =
  | { page: 'sittings' }
  | { page: 'sitting'; sittingId: string }
  | { page: 'roster'; bodyId: string }
  | { page: 'admin' }
  | { page: 'not-found' };

export const CONSOLE_BASE = '/console';

export function parseRoute(pathname: string): Route {
  const rest = pathname.startsWith(CONSOLE_BASE) ? pathname.slice(CONSOLE_BASE.length) : pathname;
  const parts = rest.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0) return { page: 'sittings' };
  if (parts[0] === 'sittings' && parts.length === 2) return { page: 'sitting', sittingId: parts[1]! };
  if (parts[0] === 'bodies' && parts.length === 2) return { page: 'roster', bodyId: parts[1]! };
  if (parts[0] === 'admin' && parts.length === 1) return { page: 'admin' };
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
  }
}
