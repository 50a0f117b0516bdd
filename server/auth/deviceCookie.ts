// The device cookie of the login limiter (OWASP "device cookies"): after a successful login the
// browser gets a long-lived cookie that proves it logged in as that user before. It carries no
// rights of its own (the password is still checked); it only lets that browser use its own
// attempt allowance instead of the username's, which strangers can use up.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const DEVICE_COOKIE = 'radacast_device';
export const DEVICE_COOKIE_MAX_AGE_MS = 365 * 24 * 60 * 60 * 1000;

export class DeviceCookies {
  readonly #secret: Buffer;

  constructor(secret: Buffer) {
    this.#secret = secret;
  }

  #mac(username: string): string {
    return createHmac('sha256', this.#secret).update(`device\n${username}`).digest('base64url');
  }

  issue(username: string): string {
    return `${Buffer.from(username).toString('base64url')}.${this.#mac(username)}`;
  }

  /** True when `cookie` was issued by this server for `username`. */
  proves(cookie: string | undefined, username: string): boolean {
    if (!cookie) return false;
    const [name, mac] = cookie.split('.');
    if (!name || !mac || Buffer.from(name, 'base64url').toString() !== username) return false;
    const expected = Buffer.from(this.#mac(username));
    const given = Buffer.from(mac);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
