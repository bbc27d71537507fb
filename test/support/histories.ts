// Workflow histories for the replay test: the workflow tests note what they start, and with
// RECORD_HISTORIES=<folder> write each history to test/histories/<workflow>/<folder>/, named
// after the test. Each folder stands for the orders a version of the code left running.
import fs from 'node:fs';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { afterAll, expect } from 'vitest';

export const HISTORIES_DIR = path.resolve(__dirname, '..', 'histories');

/** Histories the SDK wrote and cannot replay: kept to show when an upgrade fixes it. */
export const SDK_ISSUE_HISTORIES_DIR = path.resolve(__dirname, '..', 'histories-sdk-issue');

/**
 * The one replay failure the chaos runs tolerate, and report: TypeScript SDK 1.24 can write a
 * history it cannot replay when a freshly started worker takes a workflow task that carries both
 * an activity's result and an Update (docs/HOW-IT-WORKS.md, "Known issue: a query can run a workflow ahead of its history"). Any other replay failure fails.
 */
export const KNOWN_SDK_NONDETERMINISM = /Nondeterminism error: Update machine does not handle this event/;

/**
 * Call once per test file, after the hooks that connect to Temporal (after-hooks run in reverse,
 * so this one runs while the connection is still open). Returns `keep(handle)`, which notes a
 * workflow the running test started.
 */
export function recordHistories(group: string): <H extends WorkflowHandle>(handle: H) => H {
  const started: { name: string; handle: WorkflowHandle }[] = [];
  afterAll(async () => {
    const folder = process.env.RECORD_HISTORIES;
    if (!folder) return;
    const dir = path.join(HISTORIES_DIR, group, folder === '1' ? '' : folder);
    fs.mkdirSync(dir, { recursive: true });
    const seen = new Map<string, number>();
    for (const { name, handle } of started) {
      const history = await handle.fetchHistory();
      const closed = history.events?.some((e) => e.workflowExecutionCompletedEventAttributes || e.workflowExecutionFailedEventAttributes);
      if (!closed) continue; // only finished paths: a running one has no ending to check
      const n = (seen.get(name) ?? 0) + 1;
      seen.set(name, n);
      fs.writeFileSync(path.join(dir, `${name}${n > 1 ? `-${n}` : ''}.json`), historyToJSON(history));
    }
  });
  return <H extends WorkflowHandle>(handle: H): H => {
    const test = expect.getState().currentTestName ?? 'unnamed';
    started.push({ name: test.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 90), handle });
    return handle;
  };
}
