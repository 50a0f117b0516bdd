// Both ends of the child processes the server starts: the parent reads a pipe it asked spawn or
// fork for, a forked worker sends its one answer back. Both are there by construction; when one
// is not, a clear error says which.
import type { ChildProcess } from 'node:child_process';
import { Readable } from 'node:stream';

/** The child's end of stdio `fd`, which the parent asked for as 'pipe'. */
export function pipeFrom(child: ChildProcess, fd: number): Readable {
  const stream = child.stdio[fd];
  if (!(stream instanceof Readable)) throw new Error(`[child pid:${child.pid}] stdio ${fd} is not a pipe`);
  return stream;
}

/** A forked worker's one answer to the server over IPC; the worker exits once it is sent. */
export function answerParent(message: object): void {
  if (!process.send) throw new Error(`[worker pid:${process.pid}] forked without an IPC channel`);
  process.send(message, () => process.exit(0));
}
