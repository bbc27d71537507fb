// A real nats-server with JetStream on a free loopback port, for tests: stopped and started again
// on the same store folder, it keeps its streams, as a restarted production server does.
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { startNatsServer } from '../../src/dev/nats';
import type { ShopEvent } from '../../src/shop';
import { freePort } from './processes';

export interface TestNats {
  url: string;
  /** Starts it again on the same port, on the same store or (`emptyStore`) on a new one, as a server that lost its disk. */
  start(emptyStore?: boolean): Promise<void>;
  /** SIGKILL by default: the crash a server really has. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export async function startTestNats(): Promise<TestNats> {
  const port = await freePort();
  let storeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-nats-'));
  let child: ChildProcess | undefined;
  const nats: TestNats = {
    url: `nats://127.0.0.1:${port}`,
    start: async (emptyStore = false) => {
      if (emptyStore) storeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-nats-'));
      child = await startNatsServer({ port, storeDir, quiet: true });
    },
    stop: async (signal = 'SIGKILL') => {
      const running = child;
      child = undefined;
      if (!running || running.exitCode !== null) return;
      await new Promise((resolve) => {
        running.once('exit', resolve);
        running.kill(signal);
      });
    },
  };
  await nats.start();
  return nats;
}

export interface StreamedEvent {
  subject: string;
  streamSequence: number;
  msgId: string | undefined;
  event: ShopEvent;
}

/** Every message on a stream, in stream order. */
export async function streamContents(url: string, stream: string): Promise<StreamedEvent[]> {
  const nc = await connect({ servers: url });
  try {
    const jsm = await jetstreamManager(nc);
    const { state } = await jsm.streams.info(stream);
    const found: StreamedEvent[] = [];
    for (let seq = state.first_seq; state.messages > 0 && seq <= state.last_seq; seq++) {
      const m = await jsm.streams.getMessage(stream, { seq }).catch(() => null);
      if (m) found.push({ subject: m.subject, streamSequence: m.seq, msgId: m.header?.get('Nats-Msg-Id'), event: m.json<ShopEvent>() });
    }
    return found;
  } finally {
    await nc.close();
  }
}

/** Where an order's events are not in increasing sequence: none, when all is well. */
export function outOfOrder(events: readonly ShopEvent[]): string[] {
  const last = new Map<string, number>();
  const problems: string[] = [];
  for (const e of events) {
    const key = `${e.kind}/${e.orderId}`;
    if ((last.get(key) ?? 0) >= e.sequence) problems.push(`${key}: #${e.sequence} after #${last.get(key)}`);
    last.set(key, e.sequence);
  }
  return problems;
}
