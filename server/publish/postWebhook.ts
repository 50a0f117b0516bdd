// One webhook request: POST the body with node's http/https client, so the connection can be
// given a checking `lookup` (see webhookTargets.ts). Resolves with the receiver's status code;
// the answer's body is not read. Redirects are not followed.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { WebhookTargets } from './webhookTargets.ts';

export function postWebhook(
  url: string,
  headers: Record<string, string>,
  body: string,
  opts: { targets: WebhookTargets; signal: AbortSignal },
): Promise<number> {
  const target = new URL(url);
  const refused = opts.targets.refuseLiteral(target.hostname);
  if (refused) return Promise.reject(refused);
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const payload = Buffer.from(body, 'utf8');
  return new Promise((resolve, reject) => {
    const req = request(
      target,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(payload.length) },
        lookup: opts.targets.lookup,
        signal: opts.signal,
        // A fresh connection per attempt: each one is checked where it goes.
        agent: false,
      },
      (res: IncomingMessage) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
