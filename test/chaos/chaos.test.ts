// The chaos run in npm test: the whole system as processes, broken on purpose while orders move,
// then the invariants from the business database. `npm run test:chaos` runs it at scale.
import { describe, expect, it } from 'vitest';
import { expectCleanRun, runChaos } from './run';

describe('chaos', () => {
  it('50 orders and coffee orders survive killed workers, a worker started while Temporal is down, a restarted server and API, a killed mail relay and event publisher and a restarted NATS: nothing lost, nothing doubled, every email and event once, no 500, every history replays', async () => {
    const summary = await runChaos({ orders: 36, coffees: 14, workerKills: 2, serverRestarts: 1, workerStartsDuringOutage: 1, apiRestarts: 1, relayKills: 1, publisherKills: 1, natsRestarts: 1, timeLimitMs: 150_000 });
    expectCleanRun(summary, 36 + 14);
    expect(summary.invariantsChecked).toBeGreaterThan(300);
    expect([summary.workerKills, summary.serverRestarts, summary.workerStartsDuringOutage, summary.apiRestarts, summary.relayKills, summary.publisherKills, summary.natsRestarts]).toEqual([2, 1, 1, 1, 1, 1, 1]);
    expect(summary.emails).toBeGreaterThan(36);
    expect(summary.events).toBeGreaterThan(4 * 50);
  }, 200_000);
});
