// The console's current page, from the address bar (back and forward work).
import { getContext, setContext } from 'svelte';
import { parseRoute, routePath, type Route } from '../lib/routes.ts';

const KEY = Symbol('router');

export class Router {
  #route = $state.raw<Route>(parseRoute(location.pathname));

  constructor() {
    addEventListener('popstate', () => {
      this.#route = parseRoute(location.pathname);
    });
  }

  get route(): Route {
    return this.#route;
  }

  go(route: Route): void {
    const path = routePath(route);
    if (path !== location.pathname) history.pushState(null, '', path);
    this.#route = route;
    scrollTo(0, 0);
  }
}

export const setRouter = (router: Router): Router => setContext(KEY, router);
export const getRouter = (): Router => getContext<Router>(KEY);
