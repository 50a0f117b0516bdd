// The server's check of a `subscribe` request. The type lives in socket.ts, free of zod, so
// pages do not bundle it; LiveHub.subscribe takes that type, so the two cannot drift apart.
import { z } from 'zod';
import { Id } from './model.ts';

export const SubscribeRequest = z
  .object({
    room: Id.optional(),
    sittingId: Id.optional(),
    since: z.object({ sittingId: Id, seq: z.number().int().nonnegative(), marks: z.number().int().nonnegative().optional() }).strict().optional(),
  })
  .strict()
  .refine((r) => (r.room === undefined) !== (r.sittingId === undefined), { message: 'give either room or sittingId' });
