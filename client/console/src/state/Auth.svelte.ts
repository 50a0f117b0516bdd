// Who is logged in to the console (GET/POST/DELETE /api/session; the cookie is httpOnly), and
// keeping that login alive: while the clerk works, the session is renewed (POST
// /api/session/renew) well before it would end. When the server ends it anyway, the user
// stays on screen and is asked for the password in place (`expired`), so nothing is lost.
import { getContext, setContext } from 'svelte';
import { http, setUnauthorizedHandler, type HttpResult } from '../lib/http.ts';

export interface User {
  username: string;
  role: 'admin' | 'clerk';
}

interface SessionAnswer {
  user: User;
  ttlSeconds: number;
}

const KEY = Symbol('auth');

/** Renew once a quarter of the lifetime has passed since the last renewal, if the clerk is active. */
const RENEW_AFTER_FRACTION = 0.25;

export class Auth {
  #user = $state.raw<User | null>(null);
  #checked = $state(false);
  #expired = $state(false);
  #ttlMs = 0;
  /** When the session was last started or renewed (0: unknown, e.g. after a reload). */
  #renewedAt = 0;
  #renewing = false;

  constructor() {
    setUnauthorizedHandler(() => this.sessionEnded());
  }

  get user(): User | null {
    return this.#user;
  }

  /** False until the first check answered (the page shows nothing until then). */
  get checked(): boolean {
    return this.#checked;
  }

  /** The server ended the session while the console was in use: the password is asked in place. */
  get expired(): boolean {
    return this.#expired;
  }

  get isAdmin(): boolean {
    return this.#user?.role === 'admin';
  }

  async check(): Promise<void> {
    const answer = await http<SessionAnswer>('GET', '/api/session');
    this.#started(answer, 0);
    this.#checked = true;
  }

  async login(username: string, password: string): Promise<HttpResult<SessionAnswer>> {
    const answer = await http<SessionAnswer>('POST', '/api/session', { username, password });
    if (answer.ok) {
      this.#started(answer, Date.now());
      this.#expired = false;
    }
    return answer;
  }

  #started(answer: HttpResult<SessionAnswer>, renewedAt: number): void {
    this.#user = answer.ok ? answer.data.user : null;
    if (!answer.ok) return;
    this.#ttlMs = answer.data.ttlSeconds * 1000;
    this.#renewedAt = renewedAt;
  }

  async logout(): Promise<void> {
    await http('DELETE', '/api/session');
    this.#user = null;
    this.#expired = false;
  }

  /**
   * The clerk did something (a key, a click, a command): renew the session if a quarter of its
   * lifetime has passed since the last renewal. A failed request (offline) is tried again at
   * the next activity; a refused one means the session is over.
   */
  async active(): Promise<void> {
    if (!this.#user || this.#expired || this.#renewing) return;
    if (Date.now() - this.#renewedAt < this.#ttlMs * RENEW_AFTER_FRACTION) return;
    this.#renewing = true;
    const answer = await http<SessionAnswer>('POST', '/api/session/renew');
    this.#renewing = false;
    if (answer.ok) this.#renewedAt = Date.now();
  }

  /** The server no longer accepts the session (expired, logged out elsewhere). */
  sessionEnded(): void {
    if (this.#user) this.#expired = true;
  }
}

export const setAuth = (auth: Auth): Auth => setContext(KEY, auth);
export const getAuth = (): Auth => getContext<Auth>(KEY);
