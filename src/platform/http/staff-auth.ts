// Who may call the staff endpoints: a signed staff token with the right role. Customers' endpoints
// take no token; the carrier's webhook is signed instead (carrier-webhook.ts).
import type { Request, RequestHandler, Response } from 'express';
import { type StaffMember, type StaffRole, TokenRefused } from '../security/staff-tokens';
import type { HttpDeps } from './deps';
import { HttpProblem, Unauthorized } from './problem';

/** The cookie a browser holds after signing in, for the Web UI's calls to the codec. */
export const STAFF_COOKIE = 'staff_token';

/**
 * Lets the request through when it carries a valid staff token whose role is one of `roles`
 * (an admin may do anything), and leaves the staff member in `res.locals.staff` for the handler
 * and the request log. 401 without a token or with a bad one, 403 for another role.
 */
export function staffOnly(deps: Pick<HttpDeps, 'security'>, roles: readonly StaffRole[], options: { cookie?: boolean } = {}): RequestHandler {
  const allowed = new Set<StaffRole>([...roles, 'admin']);
  return async (req, res, next) => {
    const token = bearerToken(req) ?? (options.cookie ? cookieToken(req) : undefined);
    if (!token) return next(unauthorized('this endpoint is for staff: send Authorization: Bearer <staff token> (npm run staff:token)'));
    let member: StaffMember;
    try {
      member = await deps.security.staffTokens.verify(token);
    } catch (err) {
      return next(err instanceof TokenRefused ? unauthorized(err.message) : err);
    }
    res.locals.staff = member;
    if (!allowed.has(member.role)) {
      return next(new HttpProblem(403, 'Forbidden', `a ${member.role} may not do this; it needs ${[...allowed].join(' or ')}`));
    }
    next();
  };
}

/** The staff member a staffOnly route let through. */
export function staffMember(res: Response): StaffMember {
  return res.locals.staff as StaffMember;
}

function unauthorized(detail: string): Unauthorized {
  return new Unauthorized(detail, 'Bearer realm="staff"');
}

function bearerToken(req: Request): string | undefined {
  const header = req.get('Authorization');
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1];
}

function cookieToken(req: Request): string | undefined {
  const cookies = req.get('Cookie') ?? '';
  for (const part of cookies.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === STAFF_COOKIE) return decodeURIComponent(value.join('='));
  }
  return undefined;
}
