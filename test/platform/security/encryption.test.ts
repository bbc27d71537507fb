// Customer data never sits in plaintext in Temporal: what the CLI reads back holds none of it,
// and keys rotate without stranding an order.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { Client } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { coffeeKind } from '../../../src/coffee/kind';
import { findTemporalCli } from '../../../src/dev/temporal-cli';
import { workflowSinks } from '../../../src/main/shop-worker';
import { orderKind } from '../../../src/orders/kind';
import { reportShipmentEvent } from '../../../src/orders/messages';
import { EncryptionCodec, EncryptionKeysError, parseEncryptionKeys, sealedWith } from '../../../src/platform/security/payload-encryption';
import { createServices } from '../../../src/services';
import { eventually, orderFor, startTestApi, type TestApi } from '../../api/helpers';
import { orderInput, placeOrder, stockCatalog } from '../../orders/fixtures';
import { temporaryDatabase, uniqueId } from '../../support/database';
import { staffToken } from '../../support/secrets';
import { connectTestTemporal, startVersionedWorker, type TestTemporal, waitForOrder } from '../../support/temporal';

const run = promisify(execFile);
const key = () => randomBytes(32).toString('base64');
const payload = (text: string) => ({ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from(text) });

describe('the payload codec', () => {
  const codec = new EncryptionCodec(parseEncryptionKeys(`k1:${key()}`));

  it('seals a payload so that nothing of it shows, and opens it back exactly', async () => {
    const [sealed] = await codec.encode([payload('{"email":"ada@example.com"}')]);
    expect(Buffer.from(sealed!.data!).toString('latin1')).not.toContain('ada@');
    expect(Object.keys(sealed!.metadata!)).toEqual(['encoding', 'encryption-key-id']);
    expect(sealedWith(sealed!)).toBe('k1');

    const [opened] = await codec.decode([sealed!]);
    expect(Buffer.from(opened!.data!).toString()).toBe('{"email":"ada@example.com"}');
    expect(Buffer.from(opened!.metadata!.encoding!).toString()).toBe('json/plain');
  });

  it('passes payloads written before encryption through as they are', async () => {
    const plain = payload('"old order"');
    expect(await codec.decode([plain])).toEqual([plain]);
  });

  it('refuses a tampered payload, one relabelled to another key, and one sealed with a key it does not hold', async () => {
    const [sealed] = await codec.encode([payload('"x"')]);
    const flipped = { ...sealed!, data: Buffer.from(sealed!.data!).map((b, i) => (i === 14 ? b ^ 1 : b)) };
    await expect(codec.decode([flipped])).rejects.toThrow();

    const both = new EncryptionCodec(parseEncryptionKeys(`k2:${key()},k1:${key()}`));
    const relabelled = { ...sealed!, metadata: { ...sealed!.metadata, 'encryption-key-id': Buffer.from('k2') } };
    await expect(both.decode([relabelled])).rejects.toThrow();

    const stranger = new EncryptionCodec(parseEncryptionKeys(`k9:${key()}`));
    await expect(stranger.decode([sealed!])).rejects.toThrow(/"k1".*not in PAYLOAD_ENCRYPTION_KEYS/);
  });

  it('reads PAYLOAD_ENCRYPTION_KEYS strictly, and never repeats a key in its complaint', () => {
    const short = Buffer.alloc(16, 7).toString('base64');
    for (const [text, complaint] of [
      ['', /no key/],
      [`k1:${short}`, /"k1" is not 32 bytes/],
      [key(), /not id:base64key/],
      [`k1:${key()},k1:${key()}`, /"k1" appears twice/],
      [`bad id!:${key()}`, /not id:base64key/],
    ] as const) {
      let message = '';
      try {
        parseEncryptionKeys(text);
      } catch (err) {
        expect(err).toBeInstanceOf(EncryptionKeysError);
        message = (err as Error).message;
      }
      expect(message).toMatch(complaint);
      if (text.includes(':')) expect(message).not.toContain(text.split(':')[1]!.slice(0, 12));
    }
  });
});

describe('what Temporal holds of an order', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api?.stop());

  /** Personal data as the shop's customers would type it, easy to spot. */
  const customer = { email: 'zelda.quux@example.org', name: 'Zelda Quuxworth', line1: '77 Plaintext Lane', city: 'Cipherville', postalCode: 'ZQ9 9QZ', coffeeName: 'Yolanda Plaintextova' };

  /** The text and its base64 at each of the three alignments it can take inside a longer text. */
  function traces(text: string): string[] {
    return [0, 1, 2].map((shift) => {
      const encoded = Buffer.from('x'.repeat(shift) + text).toString('base64');
      const skip = Math.ceil((shift * 4) / 3) + 1;
      return encoded.slice(skip, skip + Math.floor((text.length * 4) / 3) - 4);
    });
  }

  async function cliReads(workflowId: string, extra: string[] = []): Promise<string> {
    const cli = (await findTemporalCli())!;
    const common = ['--address', inject('temporalAddress'), '--namespace', 'default', '--workflow-id', workflowId, '--output', 'json', ...extra];
    const [history, described] = await Promise.all([run(cli, ['workflow', 'show', ...common]), run(cli, ['workflow', 'describe', ...common])]);
    return history.stdout + described.stdout;
  }

  it('holds no email, name or address, plain or in base64, in the history or the memo the CLI reads, for a delivered, a declined and a coffee order', async () => {
    const sku = uniqueId('enc-sku');
    expect((await api.http.put(`/inventory/${sku}`, { name: 'Lamp', priceCents: 4500, available: 5 })).status).toBe(200);
    for (const name of ['espresso-beans', 'milk', 'cups']) expect((await api.http.put(`/coffee/ingredients/${name}`, { available: 10_000 })).status).toBe(200);
    const body = (paymentToken: string) =>
      orderFor([{ sku, quantity: 1 }], { email: customer.email, paymentToken, shippingAddress: { name: customer.name, line1: customer.line1, city: customer.city, postalCode: customer.postalCode, country: 'GB' } });

    const [delivered, declined, coffee] = [uniqueId('enc-ok'), uniqueId('enc-declined'), uniqueId('enc-coffee')];
    expect((await api.http.post('/orders', body('tok_ok'), { 'Idempotency-Key': delivered })).status).toBe(202);
    expect((await api.http.post('/orders', body('tok_declined'), { 'Idempotency-Key': declined })).status).toBe(202);
    const latte = { customerName: customer.coffeeName, items: [{ drink: 'latte', size: 'medium', quantity: 1 }], paymentToken: 'tok_ok' };
    expect((await api.http.post('/coffee/orders', latte, { 'Idempotency-Key': coffee })).status).toBe(202);

    await eventually(() => api.http.get(`/orders/${delivered}`), (o) => o.status === 'SHIPMENT_CREATED');
    for (const event of ['DISPATCHED', 'DELIVERED']) expect((await api.http.post(`/orders/${delivered}/shipment-events`, { event })).status).toBe(202);
    await eventually(() => api.http.get(`/orders/${delivered}`), (o) => o.status === 'COMPLETED');
    await eventually(() => api.http.get(`/orders/${declined}`), (o) => o.status === 'FAILED');
    await eventually(() => api.http.get(`/coffee/orders/${coffee}`), (o) => o.status === 'QUEUED');
    for (const action of ['claim', 'ready', 'pickup']) expect((await api.http.post(`/coffee/orders/${coffee}/${action}`)).status).toBe(200);

    // The API still reads them whole: it holds the key.
    expect((await api.http.get(`/orders/${delivered}`)).body).toMatchObject({ status: 'COMPLETED', payment: { status: 'CAPTURED' } });
    expect((await api.http.get(`/coffee/orders/${coffee}`)).body).toMatchObject({ status: 'PICKED_UP', customerName: customer.coffeeName });

    for (const workflowId of [orderKind.workflowId(delivered), orderKind.workflowId(declined), coffeeKind.workflowId(coffee)]) {
      const read = await cliReads(workflowId);
      expect(read).toContain('encryption-key-id');
      for (const value of Object.values(customer)) {
        for (const trace of [value, ...traces(value)]) expect(read.includes(trace), `${workflowId} shows "${value}" as "${trace}"`).toBe(false);
      }
    }

    // Staff read it through the API's codec, with a token.
    const throughCodec = await cliReads(orderKind.workflowId(delivered), ['--codec-endpoint', `${api.http.baseUrl}/codec`, '--codec-auth', `Bearer ${await staffToken('admin')}`]);
    // The CLI's JSON shows the opened payloads' bytes in base64.
    expect(throughCodec).toContain(Buffer.from('json/plain').toString('base64'));
    for (const value of [customer.email, customer.line1]) expect(traces(value).some((trace) => throughCodec.includes(trace)), value).toBe(true);
  });
});

describe('rotating the encryption key', () => {
  let temporal: TestTemporal;
  let closeDb: () => Promise<void>;
  let services: ReturnType<typeof createServices>;
  beforeAll(async () => {
    temporal = await connectTestTemporal();
    const { db, close } = await temporaryDatabase();
    [services, closeDb] = [createServices(db), close];
  });
  afterAll(async () => {
    await temporal?.close();
    await closeDb?.();
  });

  const [oldKey, newKey] = [`old:${key()}`, `new:${key()}`];
  const withKeys = (keys: string) => {
    const codec = new EncryptionCodec(parseEncryptionKeys(keys));
    return { codec, client: new Client({ connection: temporal.client.connection, dataConverter: { payloadCodecs: [codec] } }) };
  };
  async function runWorker(codec: EncryptionCodec, taskQueue: string) {
    const { stop } = await startVersionedWorker(temporal, { taskQueue, services, codec, workflowBundle: { codePath: inject('workflowBundlePath') } });
    return stop;
  }

  it('finishes an order started under the old key once the new one seals, and its history replays with both keys and not without the old', async () => {
    const taskQueue = uniqueId('tq-rotate');
    const catalog = await stockCatalog(services);
    const before = withKeys(oldKey);
    const stopOld = await runWorker(before.codec, taskQueue);
    const input = orderInput(catalog);
    const started = await placeOrder(before.client, taskQueue, input);
    await waitForOrder(started, (o) => o.status === 'SHIPMENT_CREATED');
    await stopOld();

    // The deploy: the new key first, the old one still listed so running orders open.
    const after = withKeys(`${newKey},${oldKey}`);
    const stopNew = await runWorker(after.codec, taskQueue);
    try {
      const handle = after.client.workflow.getHandle(started.workflowId);
      for (const event of ['DISPATCHED', 'DELIVERED'] as const) await handle.executeUpdate(reportShipmentEvent, { args: [{ event }] });
      expect(await handle.result()).toMatchObject({ status: 'COMPLETED', orderId: input.orderId });

      const history = await handle.fetchHistory();
      // Every sealed payload names its key (in the history's JSON, bytes are base64).
      const keyIds = new Set<string>();
      JSON.stringify(history, (_k, value: unknown) => {
        const id = (value as { metadata?: Record<string, unknown> } | null)?.metadata?.['encryption-key-id'];
        if (typeof id === 'string') keyIds.add(Buffer.from(id, 'base64').toString());
        return value;
      });
      expect([...keyIds].sort()).toEqual(['new', 'old']);

      const replay = (keys: string) =>
        Worker.runReplayHistory({ workflowBundle: { codePath: inject('workflowBundlePath') }, sinks: workflowSinks(), dataConverter: { payloadCodecs: [withKeys(keys).codec] } }, history, started.workflowId);
      await expect(replay(`${newKey},${oldKey}`)).resolves.toBeUndefined();
      await expect(replay(newKey)).rejects.toThrow();
    } finally {
      await stopNew();
    }
  });
});
