// What every public web API needs in front of it: security headers, a body size limit, and a
// per-client rate limit on the endpoints anyone may call.
import express, { type RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import { HttpProblem } from './problem';
import { keepRawBody } from './raw-body';

/** Larger bodies are answered 413: an order or a batch of payloads for the codec is far smaller. */
export const BODY_LIMIT = '1mb';

/** helmet's headers, and JSON bodies up to the limit, their raw bytes kept for signatures. */
export function protections(): RequestHandler[] {
  return [helmet(), express.json({ limit: BODY_LIMIT, verify: keepRawBody })];
}

/**
 * Customers' endpoints allow `perMinute` requests a minute per client address (0: no limit).
 * Kept in this process's memory: with several API instances each counts its own, which bounds a
 * client at `perMinute` times the instances. Behind a proxy, set TRUST_PROXY (Express's
 * `trust proxy`, applied in app.ts) or every client shares the proxy's address.
 */
export function customerRateLimit(perMinute: number): RequestHandler {
  if (perMinute === 0) return (_req, _res, next) => next();
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    // Whether X-Forwarded-For is believed is TRUST_PROXY's decision. With no proxy trusted, a
    // client that sends the header anyway is ignored as intended, not a misconfiguration to log.
    validate: { xForwardedForHeader: false },
    handler: (_req, res, next) =>
      next(new HttpProblem(429, 'Too many requests', `more than ${perMinute} requests a minute from this client; try again after ${res.get('Retry-After') ?? 60} seconds`)),
  });
}
