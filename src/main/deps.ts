// What the shop's API is built from: the HTTP plumbing's parts, the services the routes call,
// and the settings of each kind of order.
import type { Settings } from '../platform/config';
import { stripeWebhookSecret } from '../platform/payment-settings';
import { apiSecurity, type HttpDeps } from '../platform/http/deps';
import type { RequestLines } from '../platform/http/request-log';
import type { Services } from '../services';

export interface ShopDeps extends HttpDeps {
  services: Services;
  /** How long a coffee order may wait for a barista before the shift manager hears of it. */
  coffeeClaimSlaSeconds: number;
  /** How long the carrier has to collect an order before it is cancelled and undone. */
  dispatchDeadlineHours: number;
  /** Stripe's signing secret for its webhooks; without one POST /webhooks/stripe answers 404. */
  stripeWebhookSecret?: string;
  /** Which requests get a log line at info (all of them unless `npm start` says otherwise). */
  requestLines?: RequestLines;
}

/** The deps of a deployed API: what it talks to, and the settings it reads. */
export function apiDeps(settings: Settings, parts: Pick<ShopDeps, 'client' | 'db' | 'services' | 'logger'>): ShopDeps {
  return {
    ...parts,
    taskQueue: settings.TEMPORAL_TASK_QUEUE,
    namespace: settings.temporal.namespace,
    temporalUiUrl: settings.TEMPORAL_UI_URL,
    shop: { name: settings.SHOP_NAME, currency: settings.CURRENCY },
    coffeeClaimSlaSeconds: settings.COFFEE_CLAIM_SLA_SECONDS,
    dispatchDeadlineHours: settings.DISPATCH_DEADLINE_HOURS,
    security: apiSecurity(settings),
    stripeWebhookSecret: stripeWebhookSecret(settings),
  };
}
