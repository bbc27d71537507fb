// `npm run test:chaos`: the chaos run at a larger scale than npm test's (chaos.test.ts), bounded
// in count and time, on loopback only. Prints the summary table; fails on any violation and on
// any history that does not replay.
import { describe, expect, it } from 'vitest';
import { expectCleanRun, runChaos } from './run';

describe('chaos at scale', () => {
  it('200 orders and coffee orders through repeated worker kills, workers started while Temporal is down, server and API restarts: zero violations, every history replays', async () => {
    const summary = await runChaos({
      orders: 150,
      coffees: 50,
      workerKills: 6,
      serverRestarts: 2,
      workerStartsDuringOutage: 2,
      apiRestarts: 2,
      relayKills: 3,
      publisherKills: 3,
      natsRestarts: 2,
      gatewayLatencyMs: 300,
      timeLimitMs: Number(process.env.CHAOS_TIME_LIMIT_MS ?? 8 * 60_000),
    });
    expectCleanRun(summary, 150 + 50);
    expect([summary.workerKills, summary.serverRestarts, summary.workerStartsDuringOutage, summary.apiRestarts, summary.publisherKills, summary.natsRestarts]).toEqual([6, 2, 2, 2, 3, 2]);
  }, 10 * 60_000);
});
