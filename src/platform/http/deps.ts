// What the HTTP plumbing is built from: passed in, so tests build it over a real client and
// database. The shop's API adds its services and settings (src/main/deps.ts).
import type { Client } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import { encryptionCodec, requireSecret, type Settings } from '../config';
import type { Db } from '../db/database';
import type { ShopFace } from '../../shop';
import type { Logger } from '../observability/logger';
import { StaffTokens } from '../security/staff-tokens';

/** What the API checks callers with, and the codec it opens payloads with for staff. */
export interface ApiSecurity {
  staffTokens: StaffTokens;
  carrierWebhookSecret: string;
  codec: PayloadCodec;
  /** Browser origins allowed to call the codec (the Temporal Web UI's). */
  codecOrigins: string[];
  /** Requests a minute per client on customers' endpoints; 0: no limit. */
  rateLimitPerMinute: number;
  /** Express's `trust proxy` (TRUST_PROXY): the proxies believed about the client's address; false or absent: none. */
  trustProxy?: Settings['TRUST_PROXY'];
}

export interface HttpDeps {
  client: Client;
  db: Db;
  taskQueue: string;
  namespace: string;
  /** Base URL of the Temporal Web UI, for links to each workflow's page. */
  temporalUiUrl: string;
  security: ApiSecurity;
  /** Where request logs go; none are written without one. */
  logger?: Logger;
  /** What the pages show the shop as (SHOP_NAME, CURRENCY); defaults when absent. */
  shop?: ShopFace;
}

export function temporalUiLink(deps: Pick<HttpDeps, 'temporalUiUrl' | 'namespace'>, workflowId: string): string {
  return `${deps.temporalUiUrl.replace(/\/$/, '')}/namespaces/${encodeURIComponent(deps.namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}

export function apiSecurity(settings: Settings): ApiSecurity {
  return {
    staffTokens: new StaffTokens(requireSecret(settings, 'STAFF_TOKEN_SECRET')),
    carrierWebhookSecret: requireSecret(settings, 'CARRIER_WEBHOOK_SECRET'),
    codec: encryptionCodec(settings),
    codecOrigins: (settings.CODEC_CORS_ORIGINS ?? new URL(settings.TEMPORAL_UI_URL).origin).split(',').map((o) => o.trim()).filter(Boolean),
    rateLimitPerMinute: settings.RATE_LIMIT_PER_MINUTE,
    trustProxy: settings.TRUST_PROXY,
  };
}
