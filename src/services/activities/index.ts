// Builds every activity over the services it is given, so tests can pass real or failing ones.
import type { Services } from '..';
import { eventActivities } from './events';
import { withTypedFailures } from './failures';
import { inventoryActivities } from './inventory';
import { notificationActivities } from './notifications';
import { paymentActivities } from './payment';
import { shippingActivities } from './shipping';

export function createActivities(services: Services) {
  return withTypedFailures({
    ...inventoryActivities(services.inventory),
    ...paymentActivities(services.payments, services.paymentRecords),
    ...shippingActivities(services.carrier),
    ...notificationActivities(services.notificationOutbox),
    ...eventActivities(services.eventOutbox),
  });
}

export type Activities = ReturnType<typeof createActivities>;

/** The payment steps alone, for the worker on their own task queue (src/main/shop-worker.ts). */
export function createPaymentActivities(services: Services) {
  return withTypedFailures(paymentActivities(services.payments, services.paymentRecords));
}
