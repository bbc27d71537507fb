// How every process finds Temporal: temporal.toml profiles and the standard TEMPORAL_* variables,
// read by one function, with certificate problems named at start instead of a hanging connection.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { temporalTarget } from '../../../src/platform/temporal/connection';
import { makeTestCertificates, type TestCertificates } from '../../support/certificates';
import { spawnNode } from '../../support/processes';

let certs: TestCertificates;
let configFile: string;

beforeAll(() => {
  certs = makeTestCertificates();
  configFile = path.join(certs.dir, 'temporal.toml');
  fs.writeFileSync(
    configFile,
    `[profile.default]
address = "temporal.internal:7233"
namespace = "shop"

[profile.cloud]
address = "shop.a1b2c.tmprl.cloud:7233"
namespace = "shop.a1b2c"
[profile.cloud.tls]
client_cert_path = "${certs.client.cert}"
client_key_path = "${certs.client.key}"

[profile.broken]
address = "temporal.internal:7233"
[profile.broken.tls]
client_cert_path = "${path.join(certs.dir, 'gone.crt')}"
client_key_path = "${certs.client.key}"
`,
  );
});
afterAll(() => certs.remove());

describe('the Temporal connection', () => {
  it('is the local dev server, in plaintext, when nothing is set', () => {
    const target = temporalTarget({});
    expect(target).toEqual({ namespace: 'default', connection: { address: 'localhost:7233' }, description: 'localhost:7233 (namespace default, plaintext)' });
  });

  it('comes from the default profile of the config file, and a TEMPORAL_* variable overrides the file', () => {
    expect(temporalTarget({ TEMPORAL_CONFIG_FILE: configFile })).toMatchObject({ namespace: 'shop', connection: { address: 'temporal.internal:7233' } });
    expect(temporalTarget({ TEMPORAL_CONFIG_FILE: configFile, TEMPORAL_NAMESPACE: 'staging' })).toMatchObject({ namespace: 'staging', connection: { address: 'temporal.internal:7233' } });
  });

  it('uses mTLS with the profile TEMPORAL_PROFILE names, reading its certificate and key', () => {
    const target = temporalTarget({ TEMPORAL_CONFIG_FILE: configFile, TEMPORAL_PROFILE: 'cloud' });
    expect(target.namespace).toBe('shop.a1b2c');
    const tls = target.connection.tls as { clientCertPair: { crt: Uint8Array; key: Uint8Array } };
    expect(Buffer.from(tls.clientCertPair.crt).toString()).toBe(fs.readFileSync(certs.client.cert, 'utf8'));
    expect(Buffer.from(tls.clientCertPair.key).toString()).toBe(fs.readFileSync(certs.client.key, 'utf8'));
    expect(target.description).toBe('shop.a1b2c.tmprl.cloud:7233 (namespace shop.a1b2c, mTLS, profile cloud)');
  });

  it('uses mTLS with a server CA and server name from the variables alone', () => {
    const target = temporalTarget({
      TEMPORAL_ADDRESS: '127.0.0.1:7233',
      TEMPORAL_TLS_CLIENT_CERT_PATH: certs.client.cert,
      TEMPORAL_TLS_CLIENT_KEY_PATH: certs.client.key,
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: certs.ca.cert,
      TEMPORAL_TLS_SERVER_NAME: 'temporal.shop.internal',
    });
    const tls = target.connection.tls as { serverNameOverride: string; serverRootCACertificate: Uint8Array };
    expect(tls.serverNameOverride).toBe('temporal.shop.internal');
    expect(Buffer.from(tls.serverRootCACertificate).toString()).toBe(fs.readFileSync(certs.ca.cert, 'utf8'));
  });

  it('sends an API key over TLS, as Temporal Cloud wants, and never shows the key', () => {
    const target = temporalTarget({ TEMPORAL_ADDRESS: 'us-east-1.aws.api.temporal.io:7233', TEMPORAL_NAMESPACE: 'shop.a1b2c', TEMPORAL_API_KEY: 'key-that-stays-secret' });
    expect(target.connection).toEqual({ address: 'us-east-1.aws.api.temporal.io:7233', apiKey: 'key-that-stays-secret', tls: true });
    expect(target.description).toBe('us-east-1.aws.api.temporal.io:7233 (namespace shop.a1b2c, API key over TLS)');
  });

  it('turns TLS off when TEMPORAL_TLS=false, whatever the profile says', () => {
    expect(temporalTarget({ TEMPORAL_CONFIG_FILE: configFile, TEMPORAL_PROFILE: 'cloud', TEMPORAL_TLS: 'false' }).connection.tls).toBe(false);
  });

  it.each([
    [{ TEMPORAL_ADDRESS: 'temporal' }, 'TEMPORAL_ADDRESS="temporal": must be host:port'],
    [{ TEMPORAL_CONFIG_FILE: '/nowhere/temporal.toml' }, 'TEMPORAL_CONFIG_FILE=/nowhere/temporal.toml: no such readable file'],
    [{ TEMPORAL_PROFILE: 'staging' }, "Profile 'staging' not found"],
    [{ TEMPORAL_TLS_CLIENT_CERT_PATH: '/nowhere/client.crt', TEMPORAL_TLS_CLIENT_KEY_PATH: '/nowhere/client.key' }, 'TEMPORAL_TLS_CLIENT_CERT_PATH=/nowhere/client.crt: no such readable file'],
    [{ TEMPORAL_TLS_SERVER_CA_CERT_PATH: '/nowhere/ca.crt' }, 'TEMPORAL_TLS_SERVER_CA_CERT_PATH=/nowhere/ca.crt: no such readable file'],
    [{ TEMPORAL_TLS_CLIENT_CERT_PATH: '/etc/hostname', TEMPORAL_TLS_CLIENT_KEY_PATH: '/etc/hostname' }, 'TEMPORAL_TLS_CLIENT_CERT_PATH=/etc/hostname: not a PEM certificate or key'],
  ])('refuses %j, naming the setting', (env, message) => {
    expect(() => temporalTarget(env)).toThrow(message);
  });

  it('refuses a client certificate without its key, and a profile whose certificate is gone, naming where each came from', () => {
    expect(() => temporalTarget({ TEMPORAL_TLS_CLIENT_CERT_PATH: certs.client.cert })).toThrow('TEMPORAL_TLS_CLIENT_KEY_PATH is not set');
    expect(() => temporalTarget({ TEMPORAL_CONFIG_FILE: configFile, TEMPORAL_PROFILE: 'broken' })).toThrow(`profile "broken" tls.client_cert_path in ${configFile}=${path.join(certs.dir, 'gone.crt')}: no such readable file`);
  });

  it.each(['main/api.js', 'main/worker.js', 'ops/stuck-workflows.js'])('stops %s at once with exit 2 when its client certificate cannot be read', async (entry) => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-tls-'));
    try {
      const started = Date.now();
      const process = spawnNode(entry, { DATA_DIR: dataDir, TEMPORAL_TLS_CLIENT_CERT_PATH: '/nowhere/client.crt', TEMPORAL_TLS_CLIENT_KEY_PATH: certs.client.key });
      expect(await process.exited).toBe(2);
      expect(process.output()).toContain('TEMPORAL_TLS_CLIENT_CERT_PATH=/nowhere/client.crt: no such readable file');
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
