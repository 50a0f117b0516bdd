// Signing webhook bodies: HMAC-SHA256 over "<timestamp>.<body>" with the webhook's secret, sent
// as `X-Radacast-Signature: sha256=<hex>` beside `X-Radacast-Timestamp` (Unix seconds), so a
// receiver can check both who sent the body and that it is not an old one replayed.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'X-Radacast-Signature';
export const TIMESTAMP_HEADER = 'X-Radacast-Timestamp';
export const EVENT_HEADER = 'X-Radacast-Event';
export const DELIVERY_HEADER = 'X-Radacast-Delivery';

export function sign(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Checks a received signature in constant time; `toleranceSeconds` bounds the timestamp's age. */
export function verifySignature(
  secret: string,
  signature: string,
  timestamp: string,
  body: string,
  now = Date.now(),
  toleranceSeconds = 300,
): boolean {
  const ts = Number(timestamp);
  if (!Number.isInteger(ts) || Math.abs(now / 1000 - ts) > toleranceSeconds) return false;
  const expected = Buffer.from(sign(secret, ts, body));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
