// The payment provider's settings as each process needs them: Stripe's key for the workers, its
// webhook signing secret for the API, and the rate the payment steps are held to.
import { type Settings, SettingsError } from './config';

/**
 * Stripe's key, for the processes that call Stripe (the workers) when it takes the payments;
 * undefined with the simulated gateway. The others never need it, so they are never given it.
 */
export function stripeApiKey(settings: Settings): string | undefined {
  if (settings.PAYMENT_PROVIDER !== 'stripe') return undefined;
  if (!settings.STRIPE_API_KEY) throw new SettingsError('STRIPE_API_KEY is needed when PAYMENT_PROVIDER=stripe: a Stripe secret key (docs/OPERATIONS.md, "Payments on Stripe")');
  return settings.STRIPE_API_KEY;
}

/**
 * Stripe states its limits: 100 operations a second in live mode, 25 in test mode. A payment step
 * is one operation (and the SDK's retries of it), so the default keeps the shop's steps to about
 * 80 % of either, leaving room for what else calls Stripe (its dashboard, reports).
 */
const STRIPE_STEPS_PER_SECOND = { live: 80, test: 20 };

/** The payment steps' rate across the workers, or undefined for none (PAYMENT_ACTIVITIES_PER_SECOND). */
export function paymentActivitiesPerSecond(settings: Settings): number | undefined {
  const stated = settings.PAYMENT_ACTIVITIES_PER_SECOND;
  if (stated !== undefined) return stated > 0 ? stated : undefined;
  if (settings.PAYMENT_PROVIDER !== 'stripe') return undefined;
  return /^(sk|rk)_live_/.test(settings.STRIPE_API_KEY ?? '') ? STRIPE_STEPS_PER_SECOND.live : STRIPE_STEPS_PER_SECOND.test;
}

/**
 * The secret Stripe signs its webhooks with, for the API: needed when Stripe takes the payments
 * (disputes and refunds made in Stripe's dashboard come that way); off with the simulated gateway.
 */
export function stripeWebhookSecret(settings: Settings): string | undefined {
  if (settings.PAYMENT_PROVIDER !== 'stripe') return settings.STRIPE_WEBHOOK_SECRET;
  if (!settings.STRIPE_WEBHOOK_SECRET) throw new SettingsError('STRIPE_WEBHOOK_SECRET is needed when PAYMENT_PROVIDER=stripe: the signing secret of the shop\'s webhook endpoint in Stripe (docs/OPERATIONS.md, "Payments on Stripe")');
  return settings.STRIPE_WEBHOOK_SECRET;
}
