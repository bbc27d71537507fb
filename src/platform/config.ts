// Settings from the environment, validated at start: a bad one stops the process by name.
import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_DISPATCH_DEADLINE_HOURS, defaultShopFace } from '../shop';
import type { DatabaseOptions } from './db/database';
import { EncryptionCodec, EncryptionKeysError, parseEncryptionKeys } from './security/payload-encryption';
import { readSecretsFile, type SecretSetting, secretNames, secretsFile } from './security/secrets';
import { type TemporalTarget, TemporalSettingsError, temporalTarget } from './temporal/connection';

const settingsSchema = z.object({
  PORT: z.coerce.number().int('must be a whole number').min(1).max(65535).default(3000),
  /** Workers poll it and the API starts workflows on it; both must agree. */
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('fulfillment'),
  TEMPORAL_UI_URL: z.url().default('http://localhost:8233'),
  /** The Worker Deployment the workers belong to (Temporal's worker controller sets it). */
  TEMPORAL_DEPLOYMENT_NAME: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[^.:\s]+$/, 'must not contain ".", ":" or spaces (Temporal joins the name and the build id with them)')
    .default('temporal-fulfillment'),
  /** The worker's build id; unset: derived from the workflow bundle's content (`npm run --silent build:id`). */
  TEMPORAL_WORKER_BUILD_ID: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[^:\s]+$/, 'must not contain ":" or spaces')
    .optional(),
  /**
   * When the deployment has no current version yet, the worker makes its own version current as
   * it starts, so a first install needs no extra step. Later versions wait for an explicit
   * promote. Off when Temporal's worker controller manages the rollout.
   */
  TEMPORAL_PROMOTE_FIRST_VERSION: z
    .enum(['true', 'false'], 'must be true or false')
    .default('true')
    .transform((v) => v === 'true'),
  TEMPORAL_CLI_PATH: z.string().min(1).optional(),
  DATA_DIR: z.string().min(1).default('.data'),
  COFFEE_CLAIM_SLA_SECONDS: z.coerce.number().int('must be a whole number').min(1).default(300),
  /** An order the carrier has not collected this many hours after booking is cancelled and undone. */
  DISPATCH_DEADLINE_HOURS: z.coerce.number().int('must be a whole number').min(1).default(DEFAULT_DISPATCH_DEADLINE_HOURS),
  /** OTLP/HTTP collector for traces, such as http://otel-collector:4318; unset: no traces. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'silent']).default('info'),
  /** The worker's Temporal SDK metrics (Prometheus) are served here; 0 turns them off. */
  WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  /** How long the simulated payment gateway takes to answer, to model a real one's latency. */
  SIMULATED_GATEWAY_LATENCY_MS: z.coerce.number().int().min(0).max(60_000).default(0),
  /** Who takes the payments: the simulated gateway in the business database, or Stripe (STRIPE_API_KEY). */
  PAYMENT_PROVIDER: z.enum(['simulated', 'stripe'], 'must be simulated or stripe').default('simulated'),
  /** Where the Stripe adapter sends its requests: Stripe's own API unless set (stripe-mock in tests). */
  STRIPE_API_BASE: z.url().optional(),
  /** The provider's faults in a row (down, slow, 5xx; never a declined card) that open the circuit breaker around it. */
  PAYMENT_BREAKER_FAULTS: z.coerce.number().int('must be a whole number').min(1).max(1000).default(5),
  /** How long the breaker holds calls back before it lets one probe through. */
  PAYMENT_BREAKER_OPEN_SECONDS: z.coerce.number().int('must be a whole number').min(1).max(3600).default(30),
  /**
   * The rate Temporal holds the payment steps to, across every worker (their task queue's
   * maxTaskQueueActivitiesPerSecond); 0: none. Unset: none with the simulated gateway, and under
   * Stripe's stated limits with Stripe (docs/OPERATIONS.md, "Payments on Stripe").
   */
  PAYMENT_ACTIVITIES_PER_SECOND: z.coerce.number().min(0).max(10_000).optional(),
  /** How often the Temporal Schedule runs the reconciliation of money, stock, outboxes and orders. */
  RECONCILE_EVERY_MINUTES: z.coerce.number().int('must be a whole number').min(0).max(1440).default(15),
  /** Mail and order events waiting longer than this in their outbox count as drift. */
  RECONCILE_OUTBOX_MINUTES: z.coerce.number().int('must be a whole number').min(1).max(10_080).default(15),
  /** The shop's currency, as ISO 4217: what the payment provider charges in. */
  CURRENCY: z
    .string()
    .regex(/^[A-Za-z]{3}$/, 'must be an ISO 4217 code such as USD or EUR')
    .default(defaultShopFace.currency)
    .transform((code) => code.toUpperCase()),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  /** Where the mail relay sends the outbox: Mailpit locally, the shop's mail server in production. */
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL').default('smtp://localhost:1025'),
  /** Mailpit's web page and API, when `npm start` runs it for the default SMTP_URL. */
  MAILPIT_UI_URL: z.url().default('http://localhost:8025'),
  /** The shop's name, as its pages and emails show it. */
  SHOP_NAME: z.string().trim().min(1).max(80).default(defaultShopFace.name),
  /** The sender of the shop's emails; default: SHOP_NAME at shop@localhost. */
  MAIL_FROM: z.string().min(3).optional(),
  /** Messages for the shift manager (an order nobody claimed) go here. */
  SHIFT_MANAGER_EMAIL: z.email().default('shift-manager@localhost'),
  /** Coffee customers leave a name, not an address: their messages go to the counter's screen or printer. */
  COUNTER_EMAIL: z.email().default('counter@localhost'),
  /** Attempts before a message becomes a dead letter (FAILED), with backoff from 2 s to 5 min between them. */
  MAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  /** A relay that dies while sending leaves its message to another after this long. */
  MAIL_LEASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /** Where the event publisher sends order events (NATS with JetStream); `npm start` runs one here. Never shown with its credentials. */
  NATS_URL: z
    .string()
    .refine((v) => /^(nats|tls):\/\/[^\s/]+$/.test(v) && URL.canParse(v), 'must be a nats:// or tls:// URL, such as nats://localhost:4222 (credentials as nats://user:password@host:4222)')
    .default('nats://localhost:4222'),
  /** The JetStream stream of order events (subjects shop.order.> and shop.coffee.>); created if missing. */
  NATS_STREAM: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be letters, digits, - or _').default('SHOP_EVENTS'),
  /** How long the stream keeps events: consumers that are away longer miss the older ones. */
  NATS_STREAM_MAX_AGE_DAYS: z.coerce.number().int('must be a whole number').min(1).max(3650).default(30),
  /** Requests per minute one client may make to the customers' endpoints; 0 turns the limit off. */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int('must be a whole number').min(0).default(300),
  /**
   * Which proxies in front of the API are believed about the client's address (X-Forwarded-For,
   * Express's `trust proxy`), so that the rate limit counts customers and not the ingress: a hop
   * count (1: one ingress), loopback, linklocal, uniquelocal, or IPs and CIDRs, comma-separated.
   * Unset (or 0): none; the address that connected counts, and a forged header changes nothing.
   * Never `true`: trusting every hop lets any client pick the address it is counted under.
   */
  TRUST_PROXY: z
    .string()
    .optional()
    .transform((value, ctx): false | number | string[] => {
      if (value === undefined || value.trim() === '0') return false;
      if (/^\s*\d+\s*$/.test(value)) return Number(value);
      const entries = value.split(',').map((entry) => entry.trim());
      const trusted = z.union([z.enum(['loopback', 'linklocal', 'uniquelocal']), z.ipv4(), z.ipv6(), z.cidrv4(), z.cidrv6()]);
      const wrong = entries.filter((entry) => !trusted.safeParse(entry).success);
      if (wrong.length === 0) return entries;
      const why = /^(true|yes|on|all|\*)$/i.test(value.trim())
        ? 'trusting every proxy would let any client choose its own address; give the number of proxies in front of the API (such as 1) or their addresses'
        : `${wrong.map((entry) => JSON.stringify(entry)).join(', ')} ${wrong.length === 1 ? 'is' : 'are'} not a hop count, loopback, linklocal, uniquelocal, an IP address or a CIDR (a list is comma-separated, such as 10.0.0.0/8,loopback)`;
      ctx.addIssue({ code: 'custom', message: why });
      return z.NEVER;
    }),
  /** Origins allowed to call the codec endpoints from a browser (the Temporal Web UI); default: TEMPORAL_UI_URL's. */
  CODEC_CORS_ORIGINS: z.string().optional(),
  // Secrets: the setting, else DATA_DIR/secrets.json (src/platform/security/secrets.ts). Never echoed.
  STAFF_TOKEN_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  CARRIER_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  PAYLOAD_ENCRYPTION_KEYS: z
    .string()
    .optional()
    .superRefine((value, ctx) => {
      if (value === undefined) return;
      try {
        parseEncryptionKeys(value);
      } catch (err) {
        if (!(err instanceof EncryptionKeysError)) throw err;
        ctx.addIssue({ code: 'custom', message: err.message });
      }
    }),
  /** Stripe's secret key (a restricted key is enough: PaymentIntents and Refunds, write); the workers need it with PAYMENT_PROVIDER=stripe. A secret of the provider's: never created here. */
  STRIPE_API_KEY: z
    .string()
    .regex(/^(sk|rk)_(test|live)_[A-Za-z0-9]+$/, 'must be a Stripe secret key (sk_test_…, sk_live_… or a restricted rk_…)')
    .optional(),
  /** The signing secret of the shop's endpoint in Stripe's dashboard; the API needs it with PAYMENT_PROVIDER=stripe to take Stripe's webhooks. */
  STRIPE_WEBHOOK_SECRET: z
    .string()
    .regex(/^whsec_[A-Za-z0-9+/=]+$/, 'must be a Stripe webhook signing secret (whsec_…)')
    .optional(),
});

export type Settings = z.infer<typeof settingsSchema> & {
  /** The business database: PostgreSQL at DATABASE_URL, else a SQLite file under DATA_DIR. */
  database: DatabaseOptions;
  /** Temporal's address, namespace and credentials: temporal.toml and TEMPORAL_* (src/platform/temporal/connection.ts). */
  temporal: TemporalTarget;
};

export class SettingsError extends Error {}

/** Settings never shown, in a message or a log: the shop's secrets and its providers'. */
export const hiddenSettings: readonly string[] = [...secretNames, 'STRIPE_API_KEY', 'STRIPE_WEBHOOK_SECRET'];

export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const fromFile = readSecretsFile(present.DATA_DIR ?? '.data');
  const parsed = settingsSchema.safeParse({ ...fromFile, ...present });
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((i) => {
        const name = String(i.path[0]);
        const shown = hiddenSettings.includes(name) ? '(hidden)' : JSON.stringify(env[name]);
        return `${i.path.join('.')}=${shown}: ${i.message}`;
      });
  let temporal: TemporalTarget | undefined;
  try {
    temporal = temporalTarget(present);
  } catch (err) {
    if (!(err instanceof TemporalSettingsError)) throw err;
    problems.push(err.message);
  }
  if (!parsed.success || !temporal) throw new SettingsError(`invalid setting ${problems.join('; ')}`);
  const { DATABASE_URL, DATA_DIR } = parsed.data;
  return { ...parsed.data, temporal, database: DATABASE_URL ? { url: DATABASE_URL } : { filename: path.resolve(DATA_DIR, 'business.db') } };
}

/** A secret the process cannot run without: the setting, else the one `npm start` keeps under DATA_DIR. */
export function requireSecret(settings: Settings, name: SecretSetting): string {
  const value = settings[name];
  if (value) return value;
  throw new SettingsError(
    `${name} is not set and ${secretsFile(settings.DATA_DIR)} holds none: set it (docs/SECURITY.md, "Secrets"), or run \`npm start\` once to create the local ones`,
  );
}

/** Runs `make` over the settings, or ends the process with exit 2 and the reason, as every entry point should. */
export function orExit<T>(make: () => T): T {
  try {
    return make();
  } catch (err) {
    if (!(err instanceof SettingsError)) throw err;
    console.error(err.message);
    process.exit(2);
  }
}

/** Loads settings, with the secrets this process needs, or ends the process with the reason. */
export function settingsOrExit(...needed: SecretSetting[]): Settings {
  return orExit(() => {
    const settings = loadSettings();
    for (const name of needed) requireSecret(settings, name);
    return settings;
  });
}

/**
 * The payload codec the settings describe, for every process that talks to Temporal: the client,
 * the worker and the replayer must all use the same keys, or history cannot be read.
 */
export function encryptionCodec(settings: Settings): EncryptionCodec {
  return new EncryptionCodec(parseEncryptionKeys(requireSecret(settings, 'PAYLOAD_ENCRYPTION_KEYS')));
}
