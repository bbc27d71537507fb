// The benchmark's floor: a workflow of the order's shape (eight activities, two signals) whose
// activities do nothing. Its rate is what the Temporal server and SDK can do on this machine.
import { condition, defineSignal, proxyActivities, setHandler } from '@temporalio/workflow';
import type { floorActivities } from './floor-activities';

const { nothing } = proxyActivities<typeof floorActivities>({ startToCloseTimeout: '10 seconds' });

export const carrierEvent = defineSignal<[string]>('carrierEvent');

export async function benchFloor(): Promise<void> {
  const events: string[] = [];
  setHandler(carrierEvent, (event) => void events.push(event));
  // reserve, authorize, notify accepted, create shipment: as the order does before dispatch
  for (let i = 0; i < 4; i++) await nothing();
  await condition(() => events.includes('DISPATCHED'));
  // capture, ship stock, notify dispatched
  for (let i = 0; i < 3; i++) await nothing();
  await condition(() => events.includes('DELIVERED'));
  // notify delivered
  await nothing();
}
