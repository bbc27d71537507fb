// Only the carrier may report a parcel's progress: each webhook carries its signature over the
// exact bytes sent (src/platform/security/webhook-signature.ts). A repeated event is harmless anyway: the
// order's Update refuses what no longer applies, and the same Idempotency-Key is one Update.
import type { RequestHandler } from 'express';
import { SIGNATURE_HEADER, signatureProblem } from '../security/webhook-signature';
import type { HttpDeps } from './deps';
import { Unauthorized } from './problem';
import { rawBody } from './raw-body';

export function carrierSigned(deps: Pick<HttpDeps, 'security'>): RequestHandler {
  return (req, _res, next) => {
    const problem = signatureProblem(deps.security.carrierWebhookSecret, req.get(SIGNATURE_HEADER), rawBody(req));
    next(problem ? new Unauthorized(`${problem}; only the carrier may send shipment events`) : undefined);
  };
}
