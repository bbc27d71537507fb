// What each message the workflows queue says, as plain text and HTML. A template nobody wrote yet
// still sends: its data, listed, rather than nothing.
import { escapeHtml } from '../platform/http/html';
import { formatCents, type Template, type TemplateData } from '../shop';
export interface Rendered {
  subject: string;
  text: string;
  html: string;
}

type Data = Record<string, unknown>;
const money = (cents: unknown) => (typeof cents === 'number' ? formatCents(cents) : '');
const reason = (d: { reason?: string }) => (d.reason ? ` (${String(d.reason)})` : '');

/** Subject and body lines, per template; `to` is the name the message is for. Every template has one. */
const templates: { [T in Template]: (d: TemplateData[T], to: string) => { subject: string; lines: string[] } } = {
  'order-accepted': (d) => ({ subject: `Order ${d.orderId}: we have it`, lines: [`Thank you: order ${d.orderId} is reserved and your card authorized for ${money(d.totalCents)}.`, 'You are charged when the parcel leaves.'] }),
  'order-dispatched': (d) => ({ subject: `Order ${d.orderId} is on its way`, lines: [`Your parcel left us; tracking number ${d.trackingNumber}.`, 'Your card has been charged.'] }),
  'order-delivered': (d) => ({ subject: `Order ${d.orderId} was delivered`, lines: [`The carrier delivered your parcel (tracking ${d.trackingNumber}). Enjoy!`] }),
  'order-cancelled': (d) => ({ subject: `Order ${d.orderId} is cancelled`, lines: [`Your order is cancelled${reason(d)}. Nothing is charged; any hold on your card is released.`] }),
  'order-failed': (d) => ({ subject: `We could not fulfil order ${d.orderId}`, lines: [`Your order could not go through${reason(d)}. Nothing is charged.`] }),
  'coffee-ready': (_d, to) => ({ subject: `${to}, your coffee is ready`, lines: [`${to}: your order is on the counter. Come and pick it up.`] }),
  'coffee-cancelled': (d, to) => ({ subject: `${to}, your coffee order is cancelled`, lines: [`Order ${d.orderId} is cancelled${reason(d)}; you have been refunded.`] }),
  'coffee-failed': (d, to) => ({ subject: `${to}, we could not make your coffee`, lines: [`Sorry: order ${d.orderId} could not be made${reason(d)}. You have been refunded.`] }),
  'coffee-unclaimed': (d) => ({ subject: `Coffee for ${d.customerName} waits for a barista`, lines: [`Order ${d.orderId} has waited ${Math.round(Number(d.waitingSeconds) / 60)} minutes with no barista.`] }),
  'reconciliation-drift': (d) => ({
    subject: `Reconciliation: ${d.found} thing${d.found === 1 ? '' : 's'} to look at`,
    lines: [`The reconciliation found ${d.found} (${d.kinds}) and healed ${d.healed}.`, 'The whole report: GET /reconciliation/latest with an admin token.'],
  }),
};

export const templateNames = Object.keys(templates) as Template[];

function isTemplate(name: string): name is Template {
  return Object.hasOwn(templates, name);
}

/**
 * A message as sent. The outbox may hold a template this code no longer has (queued by an older
 * version): it still sends, its data listed, rather than nothing.
 */
export function render(template: string, data: Data, to: string): Rendered {
  // The data is what a workflow queued for this template (TemplateData): read back from the outbox as JSON.
  const { subject, lines } = (isTemplate(template) ? templates[template](data as never, to) : undefined) ?? {
    subject: `${template}: ${data.orderId ?? ''}`.trim(),
    lines: Object.entries(data).map(([k, v]) => `${k}: ${String(v)}`),
  };
  return {
    subject,
    text: `${lines.join('\n\n')}\n\n-- temporal-fulfillment\n`,
    html: `<!doctype html><html><body>${lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('')}<p style="color:#666">temporal-fulfillment</p></body></html>`,
  };
}
