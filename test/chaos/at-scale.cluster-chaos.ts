// `npm run test:cluster`: the chaos run at scale on a real Temporal cluster (the server's four
// services as processes on PostgreSQL, mTLS), with two API instances and three workers, while
// history, matching and the frontend are each SIGKILLed and restarted, and workers, an API, the
// mail relay, the event publisher and NATS are killed too. Bounded in count and time, loopback only.
import { describe, expect, it } from 'vitest';
import { expectCleanRun, runChaos } from './run';

describe('chaos at scale on a Temporal cluster', () => {
  it('200 orders and coffee orders on 2 APIs and 3 workers survive SIGKILLed history, matching and frontend services, killed workers and an API: zero violations, none NEEDS_ATTENTION, every history replays', async () => {
    const summary = await runChaos({
      orders: 150,
      coffees: 50,
      shape: { temporal: 'cluster', apis: 2, workers: 3 },
      serviceRestarts: ['history', 'matching', 'frontend'],
      workerKills: 3,
      serverRestarts: 0,
      workerStartsDuringOutage: 1,
      apiRestarts: 2,
      relayKills: 1,
      publisherKills: 1,
      natsRestarts: 1,
      gatewayLatencyMs: 300,
      timeLimitMs: Number(process.env.CHAOS_TIME_LIMIT_MS ?? 8 * 60_000),
    });
    expectCleanRun(summary, 150 + 50);
    expect([summary.serviceRestarts, summary.workerKills, summary.workerStartsDuringOutage, summary.apiRestarts, summary.publisherKills, summary.natsRestarts]).toEqual([3, 3, 1, 2, 1, 1]);
  }, 10 * 60_000);
});
