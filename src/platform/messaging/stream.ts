// The order events stream on NATS JetStream: how to connect, and the streams every publisher and
// consumer can rely on (created if missing, brought in line with the settings if not).
import { type JetStreamManager, jetstreamManager, RetentionPolicy, StorageType, type StreamConfig } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { eventSubjectPrefix, kindNames } from '../../shop';

const nanos = (ms: number) => ms * 1_000_000;

/**
 * How long the stream remembers an event id to drop a second copy. A publisher resends only what
 * it published and could not mark (it died in between, or the acknowledgement was lost), and it
 * resends that first thing after it comes back: an hour covers a long outage with room to spare.
 */
export const duplicateWindowMs = 60 * 60_000;

export interface StreamSettings {
  /** NATS_STREAM */
  name: string;
  /** NATS_STREAM_MAX_AGE_DAYS */
  maxAgeDays: number;
}

/** Where consumers put events they could not handle after their last delivery. */
export function deadLetterSubject(consumer: string): string {
  return `${eventSubjectPrefix}.dead-letter.${consumer}`;
}

export function deadLetterStream(stream: string): string {
  return `${stream}_DEAD_LETTERS`;
}

/**
 * Connects (failing if NATS does not answer within 5 s), then keeps reconnecting for as long as
 * the process runs: a NATS restart costs a few failed publishes (retried), never the process.
 * Credentials come in the URL: `nats://user:password@host:4222`, or `nats://token@host:4222`.
 */
export function connectToNats(url: string, name: string): Promise<NatsConnection> {
  const parsed = new URL(url);
  const [user, pass] = [decodeURIComponent(parsed.username), decodeURIComponent(parsed.password)];
  const credentials = user && pass ? { user, pass } : user ? { token: user } : {};
  return connect({ servers: `${parsed.protocol}//${parsed.host}`, name, maxReconnectAttempts: -1, reconnectTimeWait: 500, timeout: 5000, ...credentials });
}

/** The URL to show in logs and messages: its credentials hidden. */
export function shownNatsUrl(url: string): string {
  const parsed = new URL(url);
  return parsed.username ? `${parsed.protocol}//(credentials)@${parsed.host}` : `${parsed.protocol}//${parsed.host}`;
}

/** The events stream and its dead-letter stream, as the settings say. */
export async function ensureStreams(nc: NatsConnection, settings: StreamSettings): Promise<JetStreamManager> {
  const jsm = await jetstreamManager(nc);
  const kept = { retention: RetentionPolicy.Limits, storage: StorageType.File, max_age: nanos(settings.maxAgeDays * 86_400_000), num_replicas: 1 };
  await ensureStream(jsm, { name: settings.name, subjects: kindNames.map((k) => `${eventSubjectPrefix}.${k}.>`), duplicate_window: nanos(duplicateWindowMs), ...kept });
  await ensureStream(jsm, { name: deadLetterStream(settings.name), subjects: [`${eventSubjectPrefix}.dead-letter.>`], duplicate_window: nanos(duplicateWindowMs), ...kept });
  return jsm;
}

async function ensureStream(jsm: JetStreamManager, config: Partial<StreamConfig> & { name: string }): Promise<void> {
  const existing = await jsm.streams.info(config.name).catch(() => undefined);
  if (existing) await jsm.streams.update(config.name, { ...existing.config, ...config });
  else await jsm.streams.add(config);
}
