// The demo council (a fictional Zhytomyr-like council, a budget committee, two rooms and one
// plenary sitting), loaded through the ordinary command path. Idempotent: each command has a
// fixed commandId, so loading twice applies nothing new. A body's or room's id carries a digest of
// its content, so a data folder made from an older demo file takes the new settings (e.g. the
// open-data codes) as one more upsert; a sitting that exists already is left as it is.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { CommandInput } from '../../protocol/commands.ts';
import { Command } from '../../protocol/commands.ts';
import { Body, Room, SittingDraft } from '../../protocol/model.ts';
import type { CouncilRecord } from '../store/CouncilRecord.ts';

const DemoFile = z.object({ bodies: z.array(Body), rooms: z.array(Room), sittings: z.array(SittingDraft) });

export const DEMO_FILE = new URL('./demo-council.json', import.meta.url);

export function demoCommands(file: URL = DEMO_FILE): CommandInput[] {
  const demo = DemoFile.parse(JSON.parse(readFileSync(file, 'utf8')));
  return [
    ...demo.rooms.map((room): CommandInput => ({ type: 'room.upsert', room, commandId: `demo:room:${room.id}:${digest(room)}` })),
    ...demo.bodies.map((body): CommandInput => ({ type: 'body.upsert', body, commandId: `demo:body:${body.id}:${digest(body)}` })),
    ...demo.sittings.map(
      (sitting): CommandInput => ({ type: 'sitting.create', sitting, commandId: `demo:sitting:${sitting.id}` }),
    ),
  ];
}

const digest = (value: unknown): string => createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 12);

export function loadDemo(record: CouncilRecord, now: Date): void {
  for (const input of demoCommands()) {
    if (input.type === 'sitting.create' && record.sitting(input.sitting.id)) continue;
    const answer = record.execute(Command.parse(input), { actor: 'system:demo', at: now.toISOString() });
    if (!answer.ok) throw new Error(`demo data refused [${input.type}: ${answer.error.code}]`);
  }
}
