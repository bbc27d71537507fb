// The benchmark's floors: workflows of the order's shape (eight activities, two signals) and of
// the coffee order's (four activities, three Updates) whose activities do nothing, written the
// plain way. Their rate is what the Temporal server and SDK can do on this machine.
import { condition, defineSignal, defineUpdate, proxyActivities, setHandler } from '@temporalio/workflow';
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

export const baristaAction = defineUpdate<void, [string]>('baristaAction');

/** The coffee order's happy path: take ingredients, charge; claim; ready: use them, tell; pickup. */
export async function benchCoffeeFloor(): Promise<void> {
  const actions: string[] = [];
  setHandler(baristaAction, (action) => void actions.push(action));
  await nothing();
  await nothing();
  await condition(() => actions.includes('claim'));
  await condition(() => actions.includes('ready'));
  await nothing();
  await nothing();
  await condition(() => actions.includes('pickup'));
}
