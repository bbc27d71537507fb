// Where Temporal is and how to reach it, read the Temporal way (@temporalio/envconfig): a profile
// of temporal.toml and the standard TEMPORAL_* variables. Every process and script that talks to
// Temporal takes its connection from here, and nothing else reads these settings.
import fs from 'node:fs';
import type { TLSConfig } from '@temporalio/common/lib/internal-non-workflow';
import { type ClientConfigProfile, type ConfigDataSource, loadClientConfigProfile, toClientOptions } from '@temporalio/envconfig';

export const DEFAULT_TEMPORAL_ADDRESS = 'localhost:7233';
export const DEFAULT_TEMPORAL_NAMESPACE = 'default';

/** Options that both the client's Connection and the worker's NativeConnection take as they are. */
export interface TemporalConnectionOptions {
  address: string;
  /** An object for TLS (mTLS when it holds a client pair); true for TLS with the system's roots. */
  tls?: TLSConfig | boolean;
  /** Temporal Cloud's API key, sent as a bearer token (TLS is then on). */
  apiKey?: string;
  metadata?: Record<string, string>;
}

export interface TemporalTarget {
  namespace: string;
  connection: TemporalConnectionOptions;
  /** For logs and banners: where, which namespace, how it is secured. Never a secret. */
  description: string;
}

export class TemporalSettingsError extends Error {}

/** The address must be host:port: a bare host would be tried on port 80 and hang. */
const HOST_PORT = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/;

/**
 * Reads the profile (TEMPORAL_PROFILE, else "default") of the config file (TEMPORAL_CONFIG_FILE,
 * else ~/.config/temporalio/temporal.toml when it exists), overridden by TEMPORAL_ADDRESS,
 * TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS and TEMPORAL_TLS_*; reads the certificate
 * files now, so a missing or unreadable one is a TemporalSettingsError naming the setting instead
 * of a connection that hangs.
 */
export function temporalTarget(env: NodeJS.ProcessEnv = process.env): TemporalTarget {
  const vars = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''));
  const configFile = vars.TEMPORAL_CONFIG_FILE;
  if (configFile && !readable(configFile)) throw new TemporalSettingsError(`TEMPORAL_CONFIG_FILE=${configFile}: no such readable file`);
  let profile: ClientConfigProfile;
  try {
    profile = loadClientConfigProfile({ overrideEnvVars: vars });
  } catch (err) {
    const where = configFile ? `TEMPORAL_CONFIG_FILE=${configFile}` : 'the Temporal config file';
    throw new TemporalSettingsError(`${where}${vars.TEMPORAL_PROFILE ? ` (TEMPORAL_PROFILE=${vars.TEMPORAL_PROFILE})` : ''}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const address = profile.address ?? DEFAULT_TEMPORAL_ADDRESS;
  if (!HOST_PORT.test(address)) throw new TemporalSettingsError(`${origin(vars, 'TEMPORAL_ADDRESS', 'address')}=${JSON.stringify(address)}: must be host:port, such as localhost:7233`);
  const namespace = profile.namespace ?? DEFAULT_TEMPORAL_NAMESPACE;
  checkTlsFiles(profile, vars);
  const { tls, apiKey } = toClientOptions(profile).connectionOptions;
  const connection: TemporalConnectionOptions = { address, ...(tls != null && { tls }), ...(apiKey && { apiKey }), ...(profile.grpcMeta && { metadata: profile.grpcMeta }) };
  return { namespace, connection, description: describe(address, namespace, connection, vars.TEMPORAL_PROFILE) };
}

function checkTlsFiles(profile: ClientConfigProfile, vars: Record<string, string>): void {
  const tls = profile.tls;
  if (!tls || tls.disabled) return;
  const files: [ConfigDataSource | undefined, string, string][] = [
    [tls.clientCert, 'TEMPORAL_TLS_CLIENT_CERT', 'tls.client_cert'],
    [tls.clientKey, 'TEMPORAL_TLS_CLIENT_KEY', 'tls.client_key'],
    [tls.serverCACert, 'TEMPORAL_TLS_SERVER_CA_CERT', 'tls.server_ca_cert'],
  ];
  for (const [source, envName, tomlName] of files) {
    if (!source) continue;
    const data = 'path' in source ? readOrUndefined(source.path) : String(source.data);
    const setting = 'path' in source ? `${origin(vars, `${envName}_PATH`, `${tomlName}_path`)}=${source.path}` : origin(vars, `${envName}_DATA`, `${tomlName}_data`);
    if (data === undefined) throw new TemporalSettingsError(`${setting}: no such readable file`);
    if (!/-----BEGIN [A-Z ]+-----/.test(data)) throw new TemporalSettingsError(`${setting}: not a PEM certificate or key`);
  }
  if (Boolean(tls.clientCert) !== Boolean(tls.clientKey)) {
    const missing = tls.clientCert ? 'TEMPORAL_TLS_CLIENT_KEY_PATH' : 'TEMPORAL_TLS_CLIENT_CERT_PATH';
    throw new TemporalSettingsError(`${missing} is not set: a client certificate and its key go together`);
  }
}

/** The variable when it was set, else where in the config file the value came from. */
function origin(vars: Record<string, string>, envName: string, tomlName: string): string {
  if (vars[envName] !== undefined) return envName;
  return `profile "${vars.TEMPORAL_PROFILE ?? 'default'}" ${tomlName} in ${vars.TEMPORAL_CONFIG_FILE ?? 'temporal.toml'}`;
}

function describe(address: string, namespace: string, connection: TemporalConnectionOptions, profile: string | undefined): string {
  const tls = connection.tls;
  const security = connection.apiKey ? 'API key over TLS' : typeof tls === 'object' && tls.clientCertPair ? 'mTLS' : tls ? 'TLS' : 'plaintext';
  return `${address} (namespace ${namespace}, ${security}${profile ? `, profile ${profile}` : ''})`;
}

function readOrUndefined(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function readable(file: string): boolean {
  return readOrUndefined(file) !== undefined;
}
