// The secrets every test process shares (spawned ones get them in their environment), and the
// credentials the shop's own test client sends: an admin's token and the carrier's signature.
import { createHash } from 'node:crypto';
import type { ClientCredentials } from '../../src/platform/security/client-credentials';
import { EncryptionCodec, parseEncryptionKeys } from '../../src/platform/security/payload-encryption';
import { type StaffRole, StaffTokens } from '../../src/platform/security/staff-tokens';

// Fixed, so that the histories recorded under test/histories/*/encrypted/ (sealed with the payload
// key below) replay in every later run: never change these.
const derived = (label: string) => createHash('sha256').update(`temporal-fulfillment tests: ${label}`).digest();

export const testSecrets = {
  STAFF_TOKEN_SECRET: derived('staff').toString('base64url'),
  CARRIER_WEBHOOK_SECRET: derived('carrier').toString('hex'),
  PAYLOAD_ENCRYPTION_KEYS: `test-1:${derived('payloads').toString('base64')}`,
};

export const testCodec = new EncryptionCodec(parseEncryptionKeys(testSecrets.PAYLOAD_ENCRYPTION_KEYS));
export const testStaffTokens = new StaffTokens(testSecrets.STAFF_TOKEN_SECRET);

export function staffToken(role: StaffRole, name = `Test ${role}`): Promise<string> {
  return testStaffTokens.mint({ name, role });
}

let shop: Promise<ClientCredentials> | undefined;

/** An admin's token and the carrier's secret: what a test client playing every part sends. */
export function shopCredentials(): Promise<ClientCredentials> {
  shop ??= staffToken('admin', 'Test admin').then((staffToken) => ({ staffToken, carrierSecret: testSecrets.CARRIER_WEBHOOK_SECRET }));
  return shop;
}
