// Customer data never sits in plaintext in Temporal: every payload the client or the worker sends
// (inputs, results, memos, signal, Update and query arguments and answers, failure details) is
// sealed with AES-256-GCM before it leaves the process. Several keys may be known at once so a
// new one can be rotated in while payloads sealed under the old ones still open.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

const ENCODING = 'binary/encrypted';
const KEY_ID = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface EncryptionKey {
  id: string;
  key: Buffer;
}

export class EncryptionKeysError extends Error {}

/**
 * Reads `PAYLOAD_ENCRYPTION_KEYS`: `id:base64key,...`, each key 32 random bytes. The first one
 * seals; all of them open. Errors never repeat the keys themselves.
 */
export function parseEncryptionKeys(text: string): EncryptionKey[] {
  const entries = text.split(',').map((e) => e.trim()).filter(Boolean);
  if (entries.length === 0) throw new EncryptionKeysError('no key: expected id:base64key, ...');
  const keys = entries.map((entry, i) => {
    const [id, material, ...rest] = entry.split(':');
    if (!id || !/^[A-Za-z0-9._-]{1,64}$/.test(id) || material === undefined || rest.length > 0) {
      throw new EncryptionKeysError(`entry ${i + 1} is not id:base64key (the id: letters, digits, . _ -)`);
    }
    const key = Buffer.from(material, 'base64');
    if (key.length !== 32 || key.toString('base64') !== material) {
      throw new EncryptionKeysError(`key "${id}" is not 32 bytes in base64`);
    }
    return { id, key };
  });
  const ids = keys.map((k) => k.id);
  const repeated = ids.find((id, i) => ids.indexOf(id) !== i);
  if (repeated) throw new EncryptionKeysError(`key id "${repeated}" appears twice`);
  return keys;
}

/** A new key in the setting's form, as `npm start` writes one when none is set. */
export function newEncryptionKey(id: string): string {
  return `${id}:${randomBytes(32).toString('base64')}`;
}

export class EncryptionCodec implements PayloadCodec {
  private readonly byId: Map<string, Buffer>;
  private readonly sealing: EncryptionKey;

  constructor(keys: EncryptionKey[]) {
    if (keys.length === 0) throw new EncryptionKeysError('an encryption codec needs at least one key');
    this.sealing = keys[0];
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => this.seal(p));
  }

  /** Payloads written before encryption was turned on pass through as they are. */
  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => (isSealed(p) ? this.open(p) : p));
  }

  private seal(payload: Payload): Payload {
    const { id, key } = this.sealing;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    // The key id is authenticated too: a payload cannot be relabelled to another key.
    cipher.setAAD(Buffer.from(id));
    const plain = temporal.api.common.v1.Payload.encode(payload).finish();
    const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    return { metadata: { encoding: Buffer.from(ENCODING), [KEY_ID]: Buffer.from(id) }, data: sealed };
  }

  private open(payload: Payload): Payload {
    const id = Buffer.from(payload.metadata?.[KEY_ID] ?? []).toString();
    const key = this.byId.get(id);
    if (!key) throw new Error(`payload sealed with key "${id}", which is not in PAYLOAD_ENCRYPTION_KEYS`);
    const data = Buffer.from(payload.data ?? []);
    if (data.length < IV_BYTES + TAG_BYTES) throw new Error('sealed payload too short');
    const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(id));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    const plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
    return temporal.api.common.v1.Payload.decode(plain);
  }
}

function isSealed(payload: Payload): boolean {
  return Buffer.from(payload.metadata?.encoding ?? []).toString() === ENCODING;
}

/** The key a payload was sealed with, or undefined for a plaintext one (for tests and the codec server). */
export function sealedWith(payload: Payload): string | undefined {
  return isSealed(payload) ? Buffer.from(payload.metadata?.[KEY_ID] ?? []).toString() : undefined;
}
