// One mapping from error codes to HTTP statuses, and the helpers that answer with them.
import type { Response } from 'express';
import type { z } from 'zod';
import { errorBody, type ErrorBody, type ErrorCode, type Issue } from '../../protocol/errors.ts';

const STATUS: Partial<Record<ErrorCode, number>> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  'payload-too-large': 413,
  'rate-limited': 429,
  'cross-origin': 403,
  'read-only': 503,
  internal: 500,
  'webrtc-unavailable': 503,
  'bad-stream-key': 401,
  'bad-sdp': 400,
  'link-expired': 401,
  'link-revoked': 401,
  'bad-link': 401,
};

/** Every refusal not listed is a conflict with the state of the record. */
export function httpStatus(code: ErrorCode): number {
  return STATUS[code] ?? 409;
}

export function sendError(res: Response, error: ErrorBody): void {
  res.status(httpStatus(error.code)).json({ ok: false, error });
}

export function refuse(res: Response, code: ErrorCode, context?: Record<string, string | number>, issues?: Issue[]): void {
  sendError(res, errorBody(code, context, issues));
}

export function zodIssues(error: z.ZodError): Issue[] {
  return error.issues.map((i) => ({ path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)), message: i.message }));
}
