// A small workflow made of the saga's parts alone, to try each on its own in a real worker.
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import { Compensations } from '../../../src/saga/compensations';
import { Journal } from '../../../src/saga/journal';
import { PublishedView } from '../../../src/saga/published-view';
import { StatusEvents } from '../../../src/saga/status-events';

export interface PartsActivities {
  undo(name: string): Promise<void>;
}

const { undo } = proxyActivities<PartsActivities>({ startToCloseTimeout: '10 seconds', retry: { maximumAttempts: 1 } });

export interface PartsResult {
  journal: { steps: string[]; compensations: string[] };
  allUndone: boolean;
}

/** Three steps done, each with its undo (the second undo fails for good); then all undone. */
export async function sagaParts(): Promise<PartsResult> {
  let status = 'RECEIVED';
  const published = new PublishedView(() => ({ status }), (view) => `**${view.status}**`);
  const journal = new Journal(() => published.publish());
  const compensations = new Compensations();
  const events = new StatusEvents('order', workflowInfo().workflowId);
  for (const step of ['first', 'second', 'third']) {
    await events.after(() => journal.step(step, async () => undefined));
    compensations.push(`undo-${step}`, () => undo(step));
    status = step.toUpperCase();
    events.note({ status, paymentStatus: 'PENDING', facts: { totalCents: null } });
  }
  const allUndone = await compensations.unwind(journal);
  await published.until(() => true);
  return {
    journal: { steps: journal.steps.map((s) => `${s.name}:${s.status}`), compensations: journal.compensations.map((c) => `${c.name}:${c.status}`) },
    allUndone,
  };
}
