// The payload codec built from settings, for every process that talks to Temporal: the client,
// the worker and the replayer must all use the same keys, or history cannot be read.
import { requireSecret, type Settings } from '../config';
import { EncryptionCodec, parseEncryptionKeys } from './payload-encryption';

export function encryptionCodec(settings: Settings): EncryptionCodec {
  return new EncryptionCodec(parseEncryptionKeys(requireSecret(settings, 'PAYLOAD_ENCRYPTION_KEYS')));
}
