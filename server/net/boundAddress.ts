// The address a listening TCP server bound (its port, when it was asked for port 0).
import type { AddressInfo } from 'node:net';

export function boundAddress(server: { address(): AddressInfo | string | null }): AddressInfo {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error(`[listen] not bound to a TCP port [address:${address}]`);
  return address;
}
