// Where webhooks may be sent. An admin's URL must not turn the server into a proxy into its own
// network (SSRF): loopback, private, link-local (the cloud metadata service at 169.254.169.254),
// carrier-grade NAT, multicast and reserved addresses are refused unless the host is listed in
// RADACAST_WEBHOOK_ALLOW_HOSTS. The check runs on the addresses a name resolves to, and the
// delivery connects to the very address that was checked (no second lookup a rebinding DNS
// server could answer differently). Redirects are never followed (a redirect is a failed attempt).
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/** Why an address is refused, in the words an admin reads in the delivery log. */
type Refusal = 'loopback' | 'private' | 'link-local' | 'reserved';

const RANGES: [Refusal, string, number, 'ipv4' | 'ipv6'][] = [
  ['reserved', '0.0.0.0', 8, 'ipv4'],
  ['private', '10.0.0.0', 8, 'ipv4'],
  ['private', '100.64.0.0', 10, 'ipv4'], // carrier-grade NAT (also Alibaba's metadata 100.100.100.200)
  ['loopback', '127.0.0.0', 8, 'ipv4'],
  ['link-local', '169.254.0.0', 16, 'ipv4'], // cloud metadata 169.254.169.254
  ['private', '172.16.0.0', 12, 'ipv4'],
  ['reserved', '192.0.0.0', 24, 'ipv4'],
  ['private', '192.168.0.0', 16, 'ipv4'],
  ['reserved', '198.18.0.0', 15, 'ipv4'],
  ['reserved', '224.0.0.0', 4, 'ipv4'], // multicast
  ['reserved', '240.0.0.0', 4, 'ipv4'], // reserved and broadcast
  ['reserved', '::', 128, 'ipv6'],
  ['loopback', '::1', 128, 'ipv6'],
  ['private', 'fc00::', 7, 'ipv6'], // unique local (also AWS's metadata fd00:ec2::254)
  ['link-local', 'fe80::', 10, 'ipv6'],
  ['reserved', 'ff00::', 8, 'ipv6'],
];

const lists = new Map<Refusal, BlockList>();
for (const [why, network, prefix, family] of RANGES) {
  const list = lists.get(why) ?? new BlockList();
  list.addSubnet(network, prefix, family);
  lists.set(why, list);
}

/** The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d) or NAT64 (64:ff9b::a.b.c.d) IPv6 address. */
function embeddedIpv4(address: string): string | null {
  const tail = address.replace(/^(?:::ffff:|64:ff9b::)/i, '');
  if (tail === address) return null;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(tail)) return tail;
  if (!/^[0-9a-f]{1,4}:[0-9a-f]{1,4}$/i.test(tail)) return null;
  // Two hexadecimal groups: the four bytes of the address.
  const bytes = Buffer.alloc(4);
  tail.split(':').forEach((group, i) => bytes.writeUInt16BE(parseInt(group, 16), i * 2));
  return bytes.join('.');
}

/** Why a delivery must not connect to `address`, or null when it is a public address. */
export function refusedAddress(address: string): Refusal | null {
  const v4 = isIP(address) === 6 ? embeddedIpv4(address) : null;
  const [ip, family] = v4 ? [v4, 'ipv4' as const] : [address, isIP(address) === 4 ? ('ipv4' as const) : ('ipv6' as const)];
  for (const [why, list] of lists) if (list.check(ip, family)) return why;
  return null;
}

export class TargetRefused extends Error {
  override name = 'TargetRefused';
  readonly code = 'ETARGETREFUSED';
  constructor(
    readonly host: string,
    readonly address: string,
    readonly why: Refusal,
  ) {
    super(`${host} resolves to ${address}, a ${why} address; list the host in RADACAST_WEBHOOK_ALLOW_HOSTS to allow it`);
  }
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

export class WebhookTargets {
  readonly #allowed: Set<string>;

  /** `allowHosts`: host names or IP addresses (as written in the URL) that may be internal. */
  constructor(allowHosts: readonly string[]) {
    this.#allowed = new Set(allowHosts.map(normalHost));
  }

  allows(host: string): boolean {
    return this.#allowed.has(normalHost(host));
  }

  /** A URL whose host is an IP address never reaches `lookup`: checked here instead. */
  refuseLiteral(host: string): TargetRefused | null {
    const ip = stripBrackets(host);
    if (isIP(ip) === 0 || this.allows(host)) return null;
    const why = refusedAddress(ip);
    return why ? new TargetRefused(host, ip, why) : null;
  }

  /**
   * Resolves `url`'s host and checks every address; throws TargetRefused for a refused one.
   * Used when a webhook is created, so the admin hears it at once. A name that does not resolve
   * now passes (deliveries check again and retry).
   */
  async check(url: string): Promise<void> {
    const host = new URL(url).hostname;
    if (this.allows(host)) return;
    const literal = this.refuseLiteral(host);
    if (literal) throw literal;
    let addresses: LookupAddress[];
    try {
      addresses = await new Promise((resolve, reject) =>
        dnsLookup(stripBrackets(host), { all: true }, (err, found) => (err ? reject(err) : resolve(found))),
      );
    } catch {
      return;
    }
    for (const { address } of addresses) {
      const why = refusedAddress(address);
      if (why) throw new TargetRefused(host, address, why);
    }
  }

  /**
   * A `lookup` for http.request: resolves like the system does, refuses the connection when any
   * answer is a refused address (unless the host is allowed), and hands the socket the checked
   * address, so the connection goes exactly where the check said.
   */
  readonly lookup = (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (err, found) => {
      if (err) return callback(err, []);
      if (!this.allows(hostname)) {
        for (const { address } of found) {
          const why = refusedAddress(address);
          if (why) return callback(new TargetRefused(hostname, address, why), []);
        }
      }
      if (options.all) return callback(null, found);
      const [first] = found;
      if (!first) return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), []);
      callback(null, first.address, first.family);
    });
  };
}

const stripBrackets = (host: string): string => host.replace(/^\[(.*)\]$/, '$1');
const normalHost = (host: string): string => stripBrackets(host.trim().toLowerCase());
