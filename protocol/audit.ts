// The administrative audit trail as GET /api/audit answers it (server/ops/AuditTrail.ts keeps it).
export const AUDIT_ACTIONS = [
  'user.created',
  'user.deleted',
  'user.password-reset',
  'token.issued',
  'token.revoked',
  'stream-key.rotated',
  'destination.saved',
  'destination.deleted',
  'webhook.added',
  'webhook.removed',
  'login.failures',
  // — interpreter and preview links (issue 17) —
  'room-link.issued',
  'room-link.revoked',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  seq: number;
  at: string;
  /** The account that acted ("system" for what the server notices itself, e.g. login failures). */
  actor: string;
  action: AuditAction;
  /** What it was done to: a username, a token id, a room, a webhook id, a room link id. */
  target: string;
  details: Record<string, string | number | boolean | null>;
  hash: string;
}

export interface AuditPage {
  verified: boolean;
  fault: string | null;
  entries: AuditEntry[];
}
