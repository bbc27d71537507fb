// The carrier signs each webhook as Stripe does: `t=<unix seconds>,v1=<hex HMAC-SHA256 of
// "<t>.<raw body>">`. The timestamp is signed too, so a captured request cannot be replayed later.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'X-Carrier-Signature';
/** How far a signature's time may be from ours, either way. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export function signPayload(secret: string, rawBody: string | Buffer, timestamp = Math.floor(Date.now() / 1000)): string {
  return `t=${timestamp},v1=${digest(secret, timestamp, rawBody)}`;
}

/** Why a signature does not hold, or undefined when it does. */
export function signatureProblem(secret: string, header: string | undefined, rawBody: Buffer, nowSeconds = Math.floor(Date.now() / 1000)): string | undefined {
  if (!header) return `the ${SIGNATURE_HEADER} header is missing`;
  const parts = header.split(',').map((p) => p.trim().split('='));
  const timestamp = Number(parts.find(([k]) => k === 't')?.[1]);
  // Several v1 values are allowed, so a sender can sign with an old and a new secret while rotating.
  const candidates = parts.filter(([k, v]) => k === 'v1' && /^[0-9a-f]{64}$/.test(v ?? '')).map(([, v]) => Buffer.from(v, 'hex'));
  if (!Number.isInteger(timestamp) || candidates.length === 0) return `the ${SIGNATURE_HEADER} header is not t=<unix seconds>,v1=<hex>`;
  if (Math.abs(nowSeconds - timestamp) > SIGNATURE_TOLERANCE_SECONDS) return `the signature's time is more than ${SIGNATURE_TOLERANCE_SECONDS / 60} minutes from ours`;
  const expected = Buffer.from(digest(secret, timestamp, rawBody), 'hex');
  return candidates.some((c) => timingSafeEqual(c, expected)) ? undefined : 'the signature does not match the body';
}

function digest(secret: string, timestamp: number, rawBody: string | Buffer): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
}
