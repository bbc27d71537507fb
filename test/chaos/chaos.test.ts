// The chaos run in npm test: the whole system as processes, broken on purpose while orders move,
// then the invariants from the business database. `npm run test:chaos` runs it at scale.
import { describe, expect, it } from 'vitest';
import { KNOWN_SDK_NONDETERMINISM } from '../support/histories';
import { runChaos, summaryTable } from './run';

describe('chaos', () => {
  it('50 orders and coffee orders survive killed workers, a restarted Temporal server and a restarted API: nothing lost, nothing doubled', async () => {
    const summary = await runChaos({ orders: 36, coffees: 14, workerKills: 2, serverRestarts: 1, apiRestarts: 1, timeLimitMs: 150_000 });
    console.log(summaryTable(summary));

    expect(summary.violations).toEqual([]);
    expect(summary.historiesReplayed).toBe(36 + 14);
    expect(summary.historiesNotReplaying.filter((h) => !KNOWN_SDK_NONDETERMINISM.test(h.error))).toEqual([]);
    expect(summary.invariantsChecked).toBeGreaterThan(300);
    expect([summary.workerKills, summary.serverRestarts, summary.apiRestarts]).toEqual([2, 1, 1]);
  }, 200_000);
});
