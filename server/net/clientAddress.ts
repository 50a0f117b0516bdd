// Who a connection is, for per-address caps: the peer's address, or — behind a trusted reverse
// proxy (RADACAST_TRUST_PROXY=1) — the first X-Forwarded-For hop, the client the proxy saw.
// IPv6 addresses are grouped by their /64 prefix, since one host is usually handed a whole
// /64 and could otherwise take a fresh address for each connection.
import { isIPv6 } from 'node:net';

/** The address a peer connected from, as the caps count it (IPv4, or an IPv6 /64 prefix). */
export function addressGroup(address: string): string {
  const ip = address.trim().replace(/^\[|\]$/g, '');
  if (/^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(ip)) return ip.slice('::ffff:'.length);
  if (!isIPv6(ip)) return ip;
  return `${expandIPv6(ip).slice(0, 4).join(':')}::/64`;
}

/** The eight 16-bit groups of an IPv6 address, lower-case, without leading zeros. */
function expandIPv6(ip: string): string[] {
  // Without its zone (%eth0); split always gives at least the head.
  const [head = '', tail] = ip.replace(/%.*$/s, '').split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  // An embedded IPv4 tail (::ffff:1.2.3.4 forms other than the mapped one) is two groups.
  const last = right.at(-1) ?? left.at(-1);
  const v4 = last?.includes('.') ? last : null;
  if (v4) {
    const bytes = Buffer.from(v4.split('.').map(Number));
    const groups = [bytes.readUInt16BE(0).toString(16), bytes.readUInt16BE(2).toString(16)];
    if (right.length > 0) right.splice(-1, 1, ...groups);
    else left.splice(-1, 1, ...groups);
  }
  const missing = tail === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...Array<string>(missing).fill('0'), ...right].map((g) => Number.parseInt(g, 16).toString(16));
}

/** The client's address group: behind a trusted proxy the first X-Forwarded-For hop, else the peer. */
export function clientAddress(peer: string | undefined, forwardedFor: string | string[] | undefined, trustProxy: boolean): string {
  const header = Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor;
  const first = trustProxy && header ? header.replace(/,.*$/s, '').trim() : '';
  return addressGroup(first !== '' ? first : (peer ?? '?'));
}

/** Counts open connections per address group and in total; refuses beyond either cap. */
export class ConnectionCap {
  readonly #byAddress = new Map<string, number>();
  #total = 0;

  constructor(
    private readonly perAddress: number,
    private readonly total = Number.POSITIVE_INFINITY,
  ) {}

  get open(): number {
    return this.#total;
  }

  /** Counts a new connection; false when a cap is reached (then nothing is counted). */
  take(address: string): boolean {
    const n = this.#byAddress.get(address) ?? 0;
    if (n >= this.perAddress || this.#total >= this.total) return false;
    this.#byAddress.set(address, n + 1);
    this.#total += 1;
    return true;
  }

  release(address: string): void {
    const n = this.#byAddress.get(address);
    if (n === undefined) return;
    this.#total -= 1;
    if (n <= 1) this.#byAddress.delete(address);
    else this.#byAddress.set(address, n - 1);
  }
}
