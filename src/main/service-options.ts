// The services' and workers' options as the settings give them: the simulated gateway's latency,
// the payment provider the payment steps call, and what the worker processes run with. A remote
// provider (Stripe) is called through a circuit breaker whose state and refusals are worker
// metrics, beside the SDK's on WORKER_METRICS_PORT.
import { Runtime } from '@temporalio/worker';
import { type Settings } from '../platform/config';
import { paymentActivitiesPerSecond, stripeApiKey } from '../platform/payment-settings';
import { type ServiceOptions, StripePayments } from '../services';
import { type BreakerWatch, GuardedPayments } from '../services/guarded-payments';
import { prebuiltBundle } from './bundle';
import { reconciliationSettings } from './reconciliation';
import type { FulfillmentWorkerOptions } from './shop-worker';

/** Throws a SettingsError naming STRIPE_API_KEY when Stripe takes the payments and the key is missing. */
export function serviceOptions(settings: Settings): ServiceOptions {
  const key = stripeApiKey(settings);
  if (!key) return { gatewayLatencyMs: settings.SIMULATED_GATEWAY_LATENCY_MS };
  const stripe = new StripePayments({ apiKey: key, apiBase: settings.STRIPE_API_BASE, currency: settings.CURRENCY.toLowerCase() });
  const breaker = { consecutiveFaults: settings.PAYMENT_BREAKER_FAULTS, openMs: settings.PAYMENT_BREAKER_OPEN_SECONDS * 1000 };
  return { gatewayLatencyMs: settings.SIMULATED_GATEWAY_LATENCY_MS, payments: new GuardedPayments(stripe, breaker, breakerMetrics('stripe')) };
}

/**
 * `payment_provider_circuit_open` (1 while calls are held back, 0.5 while a probe is out, 0 when
 * closed) and `payment_provider_calls_refused` (calls failed at once while it was open), by
 * provider: the alert PaymentProviderCircuitOpen in deploy/prometheus/alerts.yml reads the first.
 */
function breakerMetrics(provider: string): BreakerWatch {
  const meter = Runtime.instance().metricMeter.withTags({ provider });
  const open = meter.createGauge('payment_provider_circuit_open', 'float', '', 'whether the breaker around the payment provider holds calls back');
  const refused = meter.createCounter('payment_provider_calls_refused', '', 'payment calls the open breaker failed at once');
  return {
    state: (state) => open.set(state === 'open' ? 1 : state === 'half-open' ? 0.5 : 0),
    refused: () => refused.add(1),
  };
}

/** The shop's workers as a worker process and `npm start` run them, from the settings and what the process made. */
export function workerOptions(settings: Settings, parts: Pick<FulfillmentWorkerOptions, 'connection' | 'version' | 'services' | 'codec' | 'tracing' | 'traced'>): FulfillmentWorkerOptions {
  return {
    ...parts,
    namespace: settings.temporal.namespace,
    taskQueue: settings.TEMPORAL_TASK_QUEUE,
    workflowBundle: prebuiltBundle(parts.traced ?? false),
    reconciliation: reconciliationSettings(settings),
    paymentActivitiesPerSecond: paymentActivitiesPerSecond(settings),
  };
}
