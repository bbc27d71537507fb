// Staff tokens: signed (HS256), expiring JWTs that say who someone is and what they may do.
import { errors, jwtVerify, SignJWT } from 'jose';

export const staffRoles = ['barista', 'warehouse', 'admin'] as const;
export type StaffRole = (typeof staffRoles)[number];

export interface StaffMember {
  name: string;
  role: StaffRole;
}

const ISSUER = 'temporal-fulfillment';
const AUDIENCE = 'staff';
/** A shift and a half: long enough for a working day, short enough that a lost token dies soon. */
export const DEFAULT_TOKEN_HOURS = 12;

/** Why a token was refused, in words safe to answer with. */
export class TokenRefused extends Error {}

export class StaffTokens {
  private readonly key: Uint8Array;

  constructor(secret: string) {
    this.key = new TextEncoder().encode(secret);
  }

  mint(member: StaffMember, hours = DEFAULT_TOKEN_HOURS): Promise<string> {
    return new SignJWT({ role: member.role })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(member.name)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${Math.round(hours * 3600)}s`)
      .sign(this.key);
  }

  async verify(token: string): Promise<StaffMember> {
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'], requiredClaims: ['exp', 'sub'] });
      const role = payload.role;
      if (!isStaffRole(role)) throw new TokenRefused('the token names no known role');
      return { name: payload.sub!, role };
    } catch (err) {
      if (err instanceof TokenRefused) throw err;
      if (err instanceof errors.JWTExpired) throw new TokenRefused('the token has expired');
      if (err instanceof errors.JOSEError) throw new TokenRefused('the token is not one this shop signed');
      throw err;
    }
  }
}

export function isStaffRole(value: unknown): value is StaffRole {
  return typeof value === 'string' && (staffRoles as readonly string[]).includes(value);
}
