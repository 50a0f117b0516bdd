// Who is logged in to the console (GET/POST/DELETE /api/session; the cookie is httpOnly).
import { getContext, setContext } from 'svelte';
import { http, type HttpResult } from '../lib/http.ts';

export interface User {
  username: string;
  role: 'admin' | 'clerk';
}

const KEY = Symbol('auth');

export class Auth {
  #user = $state.raw<User | null>(null);
  #checked = $state(false);
  #expired = $state(false);

  get user(): User | null {
    return this.#user;
  }

  /** False until the first check answered (the page shows nothing until then). */
  get checked(): boolean {
    return this.#checked;
  }

  /** The server ended the session while the console was in use (the login page says so). */
  get expired(): boolean {
    return this.#expired;
  }

  get isAdmin(): boolean {
    return this.#user?.role === 'admin';
  }

  async check(): Promise<void> {
    const answer = await http<{ user: User }>('GET', '/api/session');
    this.#user = answer.ok ? answer.data.user : null;
    this.#checked = true;
  }

  async login(username: string, password: string): Promise<HttpResult<{ user: User }>> {
    const answer = await http<{ user: User }>('POST', '/api/session', { username, password });
    if (answer.ok) {
      this.#user = answer.data.user;
      this.#expired = false;
    }
    return answer;
  }

  async logout(): Promise<void> {
    await http('DELETE', '/api/session');
    this.#user = null;
  }

  /** The server no longer accepts the session (expired, logged out elsewhere). */
  sessionEnded(): void {
    if (!this.#user) return;
    this.#user = null;
    this.#expired = true;
  }
}

export const setAuth = (auth: Auth): Auth => setContext(KEY, auth);
export const getAuth = (): Auth => getContext<Auth>(KEY);
