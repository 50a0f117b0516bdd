// The typed refusal of a command: a stable code from protocol/errors.ts and the context it is
// about. The edges map it to HTTP statuses and socket answers; nothing matches on message text.
import type { ErrorCode, Issue } from '../../protocol/errors.ts';

export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly context: Record<string, string | number>;
  readonly issues: Issue[] | undefined;

  constructor(code: ErrorCode, context: Record<string, string | number> = {}, issues?: Issue[]) {
    const where = Object.entries(context)
      .map(([k, v]) => `${k}:${v}`)
      .join(', ');
    super(`${code}${where ? ` [${where}]` : ''}`);
    this.name = 'DomainError';
    this.code = code;
    this.context = context;
    this.issues = issues;
  }
}
