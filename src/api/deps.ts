// What the API is built from: passed in, so tests build it over a real client and database.
import type { Client } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import { encryptionCodec, requireSecret, type Settings } from '../config';
import type { Db } from '../db/database';
import type { Logger } from '../observability/logger';
import { StaffTokens } from '../security/staff-tokens';
import type { Services } from '../services';

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

export interface ApiDeps {
  client: Client;
  db: Db;
  services: Services;
  taskQueue: string;
  namespace: string;
  /** Base URL of the Temporal Web UI, for links to each workflow's page. */
  temporalUiUrl: string;
  /** How long a coffee order may wait for a barista before the shift manager hears of it. */
  coffeeClaimSlaSeconds: number;
  /** How long the carrier has to collect an order before it is cancelled and undone. */
  dispatchDeadlineHours: number;
  security: ApiSecurity;
  /** Where request logs go; none are written without one. */
  logger?: Logger;
}

export function temporalUiLink(deps: ApiDeps, workflowId: string): string {
  return `${deps.temporalUiUrl.replace(/\/$/, '')}/namespaces/${encodeURIComponent(deps.namespace)}/workflows/${encodeURIComponent(workflowId)}`;
}

/** The deps of a deployed API: what it talks to, and the settings it reads. */
export function apiDeps(settings: Settings, parts: Pick<ApiDeps, 'client' | 'db' | 'services' | 'logger'>): ApiDeps {
  return {
    ...parts,
    taskQueue: settings.TEMPORAL_TASK_QUEUE,
    namespace: settings.temporal.namespace,
    temporalUiUrl: settings.TEMPORAL_UI_URL,
    coffeeClaimSlaSeconds: settings.COFFEE_CLAIM_SLA_SECONDS,
    dispatchDeadlineHours: settings.DISPATCH_DEADLINE_HOURS,
    security: apiSecurity(settings),
  };
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
