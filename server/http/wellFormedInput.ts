// The HTTP edge of the well-formed-Unicode rule (protocol/wellFormed.ts): a body whose bytes are
// not UTF-8, or whose JSON carries a lone surrogate in any string or key, and a query with one,
// are refused `invalid` before any route sees them.
import { isUtf8 } from 'node:buffer';
import type { NextFunction, Request, Response } from 'express';
import { ILL_FORMED_MESSAGE, illFormedPath } from '../../protocol/wellFormed.ts';
import { refuse } from './errors.ts';

/** `verify` hook of express.json: raw bytes that are not UTF-8 fail as `entity.verify.failed`. */
export function verifyUtf8(_req: unknown, _res: unknown, raw: Buffer): void {
  if (!isUtf8(raw)) throw new Error('the body is not UTF-8');
}

export function refuseIllFormedInput(req: Request, res: Response, next: NextFunction): void {
  const inBody = illFormedPath(req.body, ['body']);
  const path = inBody ?? illFormedPath(req.query, ['query']);
  if (path) return refuse(res, 'invalid', undefined, [{ path, message: ILL_FORMED_MESSAGE }]);
  next();
}
