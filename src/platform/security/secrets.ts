// The three secrets the shop runs on, where they come from, and how a local stack gets its own.
// In production each is a setting; on a developer's machine `npm start` writes any that is unset
// to DATA_DIR/secrets.json (readable by its owner only), and every process reads it from there.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { newEncryptionKey } from './payload-encryption';

export const secretSettings = {
  /** Signs staff tokens (HS256). */
  STAFF_TOKEN_SECRET: () => randomBytes(32).toString('base64url'),
  /** The carrier signs its webhooks with it (HMAC-SHA256). */
  CARRIER_WEBHOOK_SECRET: () => randomBytes(32).toString('hex'),
  /** `id:base64key,...`: the first seals payloads, all open them. */
  PAYLOAD_ENCRYPTION_KEYS: () => newEncryptionKey(`local-${new Date().toISOString().slice(0, 10).replaceAll('-', '')}`),
} as const;

export type SecretSetting = keyof typeof secretSettings;
export const secretNames = Object.keys(secretSettings) as SecretSetting[];

export function secretsFile(dataDir: string): string {
  return path.resolve(dataDir, 'secrets.json');
}

/** The secrets kept under DATA_DIR, or none when there is no file yet. */
export function readSecretsFile(dataDir: string): Partial<Record<SecretSetting, string>> {
  const file = secretsFile(dataDir);
  if (!fs.existsSync(file)) return {};
  const stored = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  return Object.fromEntries(secretNames.flatMap((name) => (typeof stored[name] === 'string' ? [[name, stored[name]]] : [])));
}

/**
 * For `npm start`: every secret the environment does not set and the file does not hold yet is
 * created and written to the file. Returns the names it created.
 */
export function ensureSecretsFile(dataDir: string, env: NodeJS.ProcessEnv = process.env): SecretSetting[] {
  const stored = readSecretsFile(dataDir);
  const created = secretNames.filter((name) => !env[name] && !stored[name]);
  if (created.length === 0) return [];
  const next = { ...stored, ...Object.fromEntries(created.map((name) => [name, secretSettings[name]()])) };
  fs.mkdirSync(dataDir, { recursive: true });
  const file = secretsFile(dataDir);
  fs.writeFileSync(`${file}.tmp`, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(`${file}.tmp`, file);
  return created;
}
