// stripe-mock: Stripe's API on a loopback port, answering each request from Stripe's published
// API description (and refusing any the description does not allow), with no state kept. Built
// with Go like the other servers (src/dev/go-tools.ts); the Stripe adapter's tests run on it.
import { type ChildProcess, spawn } from 'node:child_process';
import { findGoTool, goTools } from './go-tools';

/** A key stripe-mock takes: any test-mode secret key. */
export const STRIPE_MOCK_API_KEY = 'sk_test_stripemock';

export async function startStripeMock(port: number): Promise<ChildProcess> {
  const binary = await findGoTool(goTools.stripeMock);
  if (!binary) throw new Error('no stripe-mock: set STRIPE_MOCK_PATH, put stripe-mock on PATH, or install Go to build one');
  // It always serves HTTPS too: on a loopback port the system picks, which nothing here uses.
  const child = spawn(binary, ['-http-addr', `127.0.0.1:${port}`, '-https-addr', '127.0.0.1:'], { stdio: 'ignore' });
  const deadline = Date.now() + 20_000;
  // Another server on the port would answer too: ready once the answer is Stripe's.
  while (!(await answersAsStripe(port))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`stripe-mock did not start on port ${port}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return child;
}

async function answersAsStripe(port: number): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/v1/payment_intents?limit=1`, { headers: { Authorization: `Bearer ${STRIPE_MOCK_API_KEY}` }, signal: AbortSignal.timeout(1000) });
    return res.ok && ((await res.json()) as { object?: string }).object === 'list';
  } catch {
    return false;
  }
}
