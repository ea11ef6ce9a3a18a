import type { NextFunction, Request, Response } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { unauthorized } from '../../shared/api/status';
import { sendError } from './respond';

/** Paths anyone may read: health checks, as the apiserver allows them to unauthenticated users. */
const PUBLIC = new Set(['/healthz', '/livez', '/readyz']);

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Bearer-token authentication on everything but the health endpoints. Webhooks are left to their
 * own handler when a webhook secret is set (they authenticate by signature instead).
 */
export function bearerAuth(tokens: string[], webhookSecretSet: boolean) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (PUBLIC.has(req.path) || [...PUBLIC].some((p) => req.path.startsWith(`${p}/`))) return next();
    if (webhookSecretSet && req.path.startsWith('/webhooks/')) return next();
    const header = req.headers.authorization ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (m && tokens.some((t) => same(t, m[1]))) return next();
    sendError(req, res, unauthorized());
  };
}
