// Every message the shop sends: its template, what it carries, and who it can be for. The
// workflows queue them and the mail relay renders them from this one list, so a message cannot
// be queued that the relay does not know, nor carry other data than its template reads.

/** Each template and its data (the workflows add `orderId` to a customer's message). */
export interface TemplateData {
  'order-accepted': { orderId: string; totalCents: number };
  'order-dispatched': { orderId: string; trackingNumber?: string };
  'order-delivered': { orderId: string; trackingNumber?: string };
  'order-cancelled': { orderId: string; reason?: string };
  'order-failed': { orderId: string; reason?: string };
  'coffee-ready': { orderId: string };
  'coffee-cancelled': { orderId: string; reason?: string };
  'coffee-failed': { orderId: string; reason?: string };
  'coffee-unclaimed': { orderId: string; customerName: string; waitingSeconds: number };
  'reconciliation-drift': { runId: string; found: number; healed: number; kinds: string };
}

export type Template = keyof TemplateData;

/** The shift manager, who hears of an order nobody claimed and of drift the reconciliation found (SHIFT_MANAGER_EMAIL). */
export const SHIFT_MANAGER = 'shift-manager';

/**
 * Who a message is for: an email address (an order's customer), the shift manager, or a coffee
 * customer, who leaves only a name and is called at the counter (COUNTER_EMAIL).
 */
export type Addressee = 'email' | 'shift-manager' | 'counter';

export function addresseeOf(recipient: string): Addressee {
  if (recipient.includes('@')) return 'email';
  return recipient === SHIFT_MANAGER ? 'shift-manager' : 'counter';
}
