import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/platform/config';
import { paymentActivitiesPerSecond, stripeApiKey, stripeWebhookSecret } from '../../src/platform/payment-settings';
import { createLogger } from '../../src/platform/observability/logger';
import { ensureSecretsFile, readSecretsFile } from '../../src/platform/security/secrets';
import { spawnNode } from '../support/processes';

describe('settings', () => {
  it('default to the local stack when nothing is set', () => {
    const settings = loadSettings({});
    expect(settings).toMatchObject({
      PORT: 3000,
      temporal: { namespace: 'default', connection: { address: 'localhost:7233' } },
      TEMPORAL_UI_URL: 'http://localhost:8233',
      DATA_DIR: '.data',
    });
    expect(settings.database).toEqual({ filename: expect.stringMatching(/\.data\/business\.db$/) });
  });

  it('use PostgreSQL when DATABASE_URL is set', () => {
    expect(loadSettings({ DATABASE_URL: 'postgres://shop@db:5432/shop' }).database).toEqual({ url: 'postgres://shop@db:5432/shop' });
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['TEMPORAL_ADDRESS', 'localhost'],
    ['TEMPORAL_UI_URL', 'not a url'],
    ['DATABASE_URL', 'mysql://db/shop'],
    ['NATS_URL', 'http://nats:4222'],
    ['NATS_URL', 'nats://nats:4222/path'],
    ['NATS_STREAM', 'shop.events'],
    ['NATS_STREAM_MAX_AGE_DAYS', '0'],
    ['TEMPORAL_DEPLOYMENT_NAME', 'shop.v2'],
    ['TEMPORAL_WORKER_BUILD_ID', 'a:b'],
    ['TEMPORAL_PROMOTE_FIRST_VERSION', 'yes'],
  ])('refuse %s=%s with a message that names it', (name, value) => {
    expect(() => loadSettings({ [name]: value })).toThrow(name);
  });

  it.each([
    ['main/api.js', 'PORT', 'eighty'],
    ['main/api.js', 'DATABASE_URL', 'mysql://db/shop'],
    ['main/worker.js', 'TEMPORAL_ADDRESS', 'temporal'],
    ['main/worker.js', 'WORKER_METRICS_PORT', '-1'],
    ['main/worker.js', 'TEMPORAL_DEPLOYMENT_NAME', 'shop:v2'],
    ['main/publisher.js', 'NATS_URL', 'localhost:4222'],
  ])('stop %s at start with %s named and a non-zero exit', async (entry, name, value) => {
    const process = spawnNode(entry, { [name]: value });
    expect(await process.exited).toBe(2);
    expect(process.output()).toContain(name);
  });

  it.each([
    [undefined, false],
    ['', false],
    ['0', false],
    ['1', 1],
    ['2', 2],
    ['loopback', ['loopback']],
    ['linklocal,uniquelocal', ['linklocal', 'uniquelocal']],
    ['10.0.0.0/8, loopback', ['10.0.0.0/8', 'loopback']],
    ['192.168.1.7,fd00::/8,::1', ['192.168.1.7', 'fd00::/8', '::1']],
  ])('trust no proxy unless TRUST_PROXY names them: %j is read as %j', (value, expected) => {
    expect(loadSettings(value === undefined ? {} : { TRUST_PROXY: value }).TRUST_PROXY).toEqual(expected);
  });

  it.each([
    ['true', /trusting every proxy would let any client choose its own address/],
    ['*', /trusting every proxy/],
    ['proxy.internal', /"proxy\.internal" is not a hop count, loopback, linklocal, uniquelocal, an IP address or a CIDR/],
    ['10.0.0.0/33', /"10\.0\.0\.0\/33" is not a hop count/],
    ['loopback,,10.0.0.1', /"" is not a hop count/],
    ['-1', /"-1" is not/],
    ['1.5', /"1\.5" is not/],
    ['loopback,privatenet,300.1.1.1', /"privatenet", "300\.1\.1\.1" are not/],
  ])('refuse TRUST_PROXY=%s, naming the setting and what is wrong with it', (value, why) => {
    expect(() => loadSettings({ TRUST_PROXY: value })).toThrow(`TRUST_PROXY=${JSON.stringify(value)}`);
    expect(() => loadSettings({ TRUST_PROXY: value })).toThrow(why);
  });

  it('never repeat a secret setting in a complaint about it', () => {
    const secret = 'k1:c2hvcnQgYnV0IHNlY3JldA==';
    let message = '';
    try {
      loadSettings({ PAYLOAD_ENCRYPTION_KEYS: secret, STAFF_TOKEN_SECRET: 'too-short-secret' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/PAYLOAD_ENCRYPTION_KEYS=\(hidden\): key "k1" is not 32 bytes/);
    expect(message).toMatch(/STAFF_TOKEN_SECRET=\(hidden\)/);
    expect(message).not.toContain('c2hvcnQ');
    expect(message).not.toContain('too-short-secret');
  });

  it("ask for Stripe's key where Stripe is called, when it takes the payments, and never repeat it", () => {
    expect(() => stripeApiKey(loadSettings({ PAYMENT_PROVIDER: 'stripe' }))).toThrow(/STRIPE_API_KEY is needed when PAYMENT_PROVIDER=stripe/);
    expect(stripeApiKey(loadSettings({ PAYMENT_PROVIDER: 'stripe', STRIPE_API_KEY: 'sk_test_abc123' }))).toBe('sk_test_abc123');
    expect(stripeApiKey(loadSettings({ STRIPE_API_KEY: 'sk_test_abc123' }))).toBeUndefined();
    expect(() => loadSettings({ PAYMENT_PROVIDER: 'paypal' })).toThrow(/PAYMENT_PROVIDER="paypal": must be simulated or stripe/);
    let message = '';
    try {
      loadSettings({ PAYMENT_PROVIDER: 'stripe', STRIPE_API_KEY: 'pk_live_publishable' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/STRIPE_API_KEY=\(hidden\): must be a Stripe secret key/);
    expect(message).not.toContain('pk_live_publishable');
    expect(loadSettings({ PAYMENT_PROVIDER: 'stripe', STRIPE_API_KEY: 'sk_test_abc123', CURRENCY: 'eur' })).toMatchObject({ PAYMENT_PROVIDER: 'stripe', CURRENCY: 'EUR' });
    expect(loadSettings({})).toMatchObject({ PAYMENT_PROVIDER: 'simulated', CURRENCY: 'USD' });
  });

  it("ask the API for Stripe's webhook signing secret when Stripe takes the payments, and never repeat it", () => {
    expect(() => stripeWebhookSecret(loadSettings({ PAYMENT_PROVIDER: 'stripe' }))).toThrow(/STRIPE_WEBHOOK_SECRET is needed when PAYMENT_PROVIDER=stripe/);
    expect(stripeWebhookSecret(loadSettings({ PAYMENT_PROVIDER: 'stripe', STRIPE_WEBHOOK_SECRET: 'whsec_abc123' }))).toBe('whsec_abc123');
    expect(stripeWebhookSecret(loadSettings({}))).toBeUndefined();
    let message = '';
    try {
      loadSettings({ STRIPE_WEBHOOK_SECRET: 'not-a-signing-secret' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/STRIPE_WEBHOOK_SECRET=\(hidden\): must be a Stripe webhook signing secret/);
    expect(message).not.toContain('not-a-signing-secret');
  });

  it("hold the payment steps under Stripe's stated rate with Stripe, to none with the simulated gateway, unless told", () => {
    const rate = (env: Record<string, string>) => paymentActivitiesPerSecond(loadSettings(env));
    expect(rate({})).toBeUndefined();
    expect(rate({ PAYMENT_PROVIDER: 'stripe', STRIPE_API_KEY: 'sk_live_abc123' })).toBe(80);
    expect(rate({ PAYMENT_PROVIDER: 'stripe', STRIPE_API_KEY: 'rk_test_abc123' })).toBe(20);
    expect(rate({ PAYMENT_PROVIDER: 'stripe', STRIPE_API_KEY: 'sk_live_abc123', PAYMENT_ACTIVITIES_PER_SECOND: '0' })).toBeUndefined();
    expect(rate({ PAYMENT_ACTIVITIES_PER_SECOND: '2.5' })).toBe(2.5);
    expect(() => loadSettings({ PAYMENT_ACTIVITIES_PER_SECOND: '-1' })).toThrow(/PAYMENT_ACTIVITIES_PER_SECOND/);
  });

  it('stop the API at start when Stripe takes the payments and its webhook signing secret is missing', async () => {
    const process = spawnNode('main/api.js', { PAYMENT_PROVIDER: 'stripe' });
    expect(await process.exited).toBe(2);
    expect(process.output()).toContain('STRIPE_WEBHOOK_SECRET is needed when PAYMENT_PROVIDER=stripe');
  });

  it.each([
    ['main/api.js', 'STAFF_TOKEN_SECRET'],
    ['main/api.js', 'CARRIER_WEBHOOK_SECRET'],
    ['main/worker.js', 'PAYLOAD_ENCRYPTION_KEYS'],
  ])('stop %s at start when %s is neither set nor kept under DATA_DIR, saying how to get one', async (entry, name) => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-nosecret-'));
    try {
      const process = spawnNode(entry, { DATA_DIR: dataDir, [name]: '' });
      expect(await process.exited).toBe(2);
      expect(process.output()).toContain(`${name} is not set`);
      expect(process.output()).toContain('npm start');
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('secrets kept under DATA_DIR', () => {
  it('are created once for what the environment does not set, readable by the owner only, and read as settings', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-secrets-'));
    try {
      expect(ensureSecretsFile(dataDir, { CARRIER_WEBHOOK_SECRET: 'set-by-the-operator' })).toEqual(['STAFF_TOKEN_SECRET', 'PAYLOAD_ENCRYPTION_KEYS']);
      expect(ensureSecretsFile(dataDir, {})).toEqual(['CARRIER_WEBHOOK_SECRET']);
      expect(ensureSecretsFile(dataDir, {})).toEqual([]);
      expect(fs.statSync(path.join(dataDir, 'secrets.json')).mode & 0o077).toBe(0);

      const stored = readSecretsFile(dataDir);
      const settings = loadSettings({ DATA_DIR: dataDir });
      expect(settings.STAFF_TOKEN_SECRET).toBe(stored.STAFF_TOKEN_SECRET);
      expect(settings.PAYLOAD_ENCRYPTION_KEYS).toMatch(/^local-\d{8}:[A-Za-z0-9+/]{43}=$/);
      // A setting wins over the file.
      expect(loadSettings({ DATA_DIR: dataDir, STAFF_TOKEN_SECRET: 'x'.repeat(40) }).STAFF_TOKEN_SECRET).toBe('x'.repeat(40));
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('logs', () => {
  it('hide credentials and secret settings wherever a caller puts them', () => {
    const lines: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => lines.push(String(chunk)) > 0) as typeof process.stdout.write;
    try {
      const logger = createLogger('api', 'info');
      logger.info({ req: { headers: { authorization: 'Bearer abc.def.ghi', cookie: 'staff_token=abc', 'x-carrier-signature': 't=1,v1=ff' } } }, 'request');
      logger.info({ settings: { STAFF_TOKEN_SECRET: 'staff-secret-value', PAYLOAD_ENCRYPTION_KEYS: 'k:AAAA', STRIPE_API_KEY: 'sk_live_stripesecret' } }, 'settings');
      logger.flush?.();
    } finally {
      process.stdout.write = write;
    }
    const logged = lines.join('');
    for (const secret of ['abc.def.ghi', 'staff_token=abc', 't=1,v1=ff', 'staff-secret-value', 'k:AAAA', 'sk_live_stripesecret']) expect(logged).not.toContain(secret);
    expect(logged).toContain('(hidden)');
  });

  it('write for a person at a terminal, when asked (npm start in a terminal): one readable line per entry, secrets still hidden', () => {
    const written: string[] = [];
    const destination = new Writable({ write: (chunk, _encoding, done) => (written.push(String(chunk)), done()) });
    const logger = createLogger('local-stack', 'info', { destination, colorize: false });
    logger.info({ orderId: 'A1001', settings: { STRIPE_WEBHOOK_SECRET: 'whsec_verysecret' } }, 'order placed');
    const text = written.join('');
    expect(text).toMatch(/^\[\d\d:\d\d:\d\d\] INFO: order placed\n/);
    expect(text).toContain('orderId: "A1001"');
    expect(text).not.toContain('whsec_verysecret');
    expect(text).not.toMatch(/^\{/m);
  });
});

