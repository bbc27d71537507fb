// What a workflow writes to Temporal besides its steps (issue 24): each write is an event in the
// history and a visibility update on the server. A workflow started as the API starts it writes
// one patch marker, a status upsert per status change and no more, and the view to the memo when
// a reader would see more than a step added.
import type { temporal } from '@temporalio/proto';
import type { WorkflowHandle } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CoffeeView, receivedCoffeeView } from '../../src/coffee/coffee';
import { claimCoffee, markCoffeeReady, pickUpCoffee } from '../../src/coffee/messages';
import { coffeeKind } from '../../src/coffee/kind';
import { orderKind } from '../../src/orders/kind';
import { reportShipmentEvent } from '../../src/orders/messages';
import { receivedOrderView } from '../../src/orders/order';
import { CoffeeStatusAttribute, CustomerIdAttribute, OrderStatusAttribute } from '../../src/shop';
import { coffeeInput, stockCafe } from '../coffee/fixtures';
import { orderInput, stockCatalog } from '../orders/fixtures';
import { type RunningWorker, startTestStack, type TestStack, waitForOrder } from '../support/temporal';

let stack: TestStack;
let worker: RunningWorker;

beforeAll(async () => {
  stack = await startTestStack();
  ({ worker } = stack);
  await stockCafe(stack.services);
});
afterAll(() => stack?.stop());

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** The writes of a closed workflow's history, each with the workflow task that made it. */
async function writesOf(handle: WorkflowHandle) {
  const { events = [] } = await handle.fetchHistory();
  let task = 0;
  const writes: { task: number; kind: 'marker' | 'upsert' | 'memo'; what: string }[] = [];
  for (const e of events as HistoryEvent[]) {
    if (e.workflowTaskCompletedEventAttributes) task += 1;
    const marker = e.markerRecordedEventAttributes;
    if (marker) writes.push({ task, kind: 'marker', what: marker.markerName ?? '' });
    const upsert = e.upsertWorkflowSearchAttributesEventAttributes;
    if (upsert) writes.push({ task, kind: 'upsert', what: Object.keys(upsert.searchAttributes?.indexedFields ?? {}).sort().join(',') });
    if (e.workflowPropertiesModifiedEventAttributes) writes.push({ task, kind: 'memo', what: Object.keys(e.workflowPropertiesModifiedEventAttributes.upsertedMemo?.fields ?? {}).sort().join(',') });
  }
  return writes;
}

function count(writes: Awaited<ReturnType<typeof writesOf>>, kind: string, what?: string): number {
  return writes.filter((w) => w.kind === kind && (what === undefined || w.what === what)).length;
}

/** At most one write of a kind and subject in one workflow task. */
function perTask(writes: Awaited<ReturnType<typeof writesOf>>): number {
  const seen = new Map<string, number>();
  for (const w of writes) if (w.kind !== 'marker') seen.set(`${w.task}/${w.kind}/${w.what}`, (seen.get(`${w.task}/${w.kind}/${w.what}`) ?? 0) + 1);
  return Math.max(...seen.values());
}

describe('writes per order', () => {
  it('a delivered order started as the API starts it: one patch marker, one status upsert per change, the memo when more than a step changed', async () => {
    const input = orderInput(await stockCatalog(stack.services));
    const handle = await stack.temporal.client.workflow.start(orderKind.workflowType, {
      workflowId: orderKind.workflowId(input.orderId),
      taskQueue: worker.taskQueue,
      args: [input],
      memo: { view: receivedOrderView(input) },
      typedSearchAttributes: [
        { key: OrderStatusAttribute, value: 'RECEIVED' },
        { key: CustomerIdAttribute, value: input.customerId },
      ],
    });
    await waitForOrder(handle, (o) => o.status === 'SHIPMENT_CREATED');
    await handle.executeUpdate(reportShipmentEvent, { args: [{ event: 'DISPATCHED' }] });
    await handle.executeUpdate(reportShipmentEvent, { args: [{ event: 'DELIVERED' }] });
    await handle.result();

    const writes = await writesOf(handle);
    // One marker for every patch (each used to add a marker and a TemporalChangeVersion upsert).
    expect(count(writes, 'marker', 'core_patch')).toBe(1);
    expect(count(writes, 'upsert', 'TemporalChangeVersion')).toBe(1);
    // INVENTORY_RESERVED, PAYMENT_AUTHORIZED, SHIPMENT_CREATED, DISPATCHED, COMPLETED: RECEIVED was the start's.
    expect(count(writes, 'upsert', OrderStatusAttribute.name)).toBe(5);
    expect(count(writes, 'upsert')).toBe(6);
    // The view at each of those changes, at the wait for delivery, with the capture and with the
    // delivery; not after each of the three messages or the stock's shipping.
    expect(count(writes, 'memo')).toBe(8);
    expect(perTask(writes)).toBe(1);
  });

  it("a coffee order writes the status and view once per workflow task, the barista's name with the view", async () => {
    const input = coffeeInput();
    const handle = await stack.temporal.client.workflow.start(coffeeKind.workflowType, {
      workflowId: coffeeKind.workflowId(input.orderId),
      taskQueue: worker.taskQueue,
      args: [input],
      memo: { view: receivedCoffeeView(input), customerName: input.customerName, items: input.items },
      typedSearchAttributes: [{ key: CoffeeStatusAttribute, value: 'RECEIVED' }],
    });
    await waitForOrder<CoffeeView>(handle, (o) => o.status === 'QUEUED');
    await handle.executeUpdate(claimCoffee, { args: [{ barista: 'sam' }] });
    await handle.executeUpdate(markCoffeeReady);
    await handle.executeUpdate(pickUpCoffee);
    await handle.result();

    const writes = await writesOf(handle);
    expect(count(writes, 'marker', 'core_patch')).toBe(1);
    expect(count(writes, 'memo', 'barista')).toBe(0);
    expect(count(writes, 'memo', 'barista,view')).toBe(1);
    expect(count(writes, 'upsert', 'TemporalChangeVersion')).toBe(1);
    // PAID and QUEUED come in one workflow task and are written once, as QUEUED; then PREPARING,
    // READY and PICKED_UP. RECEIVED was the start's.
    expect(count(writes, 'upsert', CoffeeStatusAttribute.name)).toBe(4);
    expect(count(writes, 'memo')).toBe(4);
    expect(perTask(writes)).toBe(1);
  });
});
