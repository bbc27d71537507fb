import { describe, expect, it } from 'vitest';
import { runChaos, summaryTable } from './run';

describe('chaos', () => {
  it('50 orders and coffee orders survive killed workers, a restarted Temporal server and a restarted API: nothing lost, nothing doubled', async () => {
    const summary = await runChaos({ orders: 36, coffees: 14, workerKills: 2, serverRestarts: 1, apiRestarts: 1, timeLimitMs: 150_000 });
    console.log(summaryTable(summary));

    expect(summary.violations).toEqual([]);
    expect(summary.invariantsChecked).toBeGreaterThan(300);
    expect([summary.workerKills, summary.serverRestarts, summary.apiRestarts]).toEqual([2, 1, 1]);
  }, 200_000);
});
