// What the shop's own clients (the bench, the chaos run, the tests, `npm run carrier:event`) add
// to a request: a staff token, and the carrier's signature on its webhook.
import { SIGNATURE_HEADER, signPayload } from './webhook-signature';

export interface ClientCredentials {
  /** Sent as a bearer token on every request; customers' endpoints ignore it. */
  staffToken?: string;
  /** Signs the body of each POST to a shipment-events path. */
  carrierSecret?: string;
}

export function credentialHeaders(credentials: ClientCredentials, path: string, body: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  if (credentials.staffToken) headers.authorization = `Bearer ${credentials.staffToken}`;
  if (credentials.carrierSecret && /\/shipment-events$/.test(path)) headers[SIGNATURE_HEADER.toLowerCase()] = signPayload(credentials.carrierSecret, body ?? '');
  return headers;
}
