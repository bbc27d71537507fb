// A real stripe-mock on a free loopback port, and a recording hop in front of it: every request
// the Stripe adapter sends reaches stripe-mock, which checks it against Stripe's API description,
// and the test can read what was sent (the Idempotency-Key above all).
import type { ChildProcess } from 'node:child_process';
import http from 'node:http';
import { STRIPE_MOCK_API_KEY, startStripeMock } from '../../src/dev/stripe-mock';
import { freePort } from './processes';

export interface SentToStripe {
  method: string;
  path: string;
  idempotencyKey: string | undefined;
  body: URLSearchParams;
  status: number;
}

export interface TestStripe {
  /** stripe-mock itself. */
  url: string;
  /** The recording hop in front of it: what an adapter under test is pointed at. */
  recordingUrl: string;
  apiKey: string;
  /** Every request through the hop, with stripe-mock's answer's status (0: it did not answer). */
  sent: SentToStripe[];
  /** Stripe down: stripe-mock killed, its port closed; the hop still takes requests, and fails them as a dead upstream does. */
  down(): Promise<void>;
  /** Stripe back, on the same port. */
  up(): Promise<void>;
  stop(): Promise<void>;
}

export async function startTestStripe(): Promise<TestStripe> {
  const port = await freePort();
  let mock: ChildProcess | undefined = await startStripeMock(port);
  const kill = async () => {
    const running = mock;
    mock = undefined;
    if (running && running.exitCode === null) await new Promise((resolve) => (running.once('exit', resolve), running.kill('SIGKILL')));
  };
  const sent: SentToStripe[] = [];
  const hop = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const headers = { ...req.headers, host: `127.0.0.1:${port}` };
      const record = (status: number) =>
        sent.push({ method: req.method ?? '', path: req.url ?? '', idempotencyKey: req.headers['idempotency-key'] as string | undefined, body: new URLSearchParams(body.toString()), status });
      const upstream = http.request({ host: '127.0.0.1', port, method: req.method, path: req.url, headers }, (answer) => {
        record(answer.statusCode ?? 0);
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => {
        record(0);
        res.destroy();
      });
      upstream.end(body);
    });
  });
  const hopPort = await freePort();
  await new Promise<void>((resolve) => hop.listen(hopPort, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    recordingUrl: `http://127.0.0.1:${hopPort}`,
    apiKey: STRIPE_MOCK_API_KEY,
    sent,
    down: kill,
    up: async () => {
      mock ??= await startStripeMock(port);
    },
    stop: async () => {
      hop.closeAllConnections();
      await new Promise((resolve) => hop.close(resolve));
      await kill();
    },
  };
}
