// What each message the workflows queue says, as plain text and HTML, signed with the shop's name
// and with money in its currency. A template nobody wrote yet still sends: its data, listed,
// rather than nothing.
import { escapeHtml } from '../platform/http/html';
import { formatMoney, type ShopFace, type Template, type TemplateData } from '../shop';
export interface Rendered {
  subject: string;
  text: string;
  html: string;
}

type Data = Record<string, unknown>;
const reason = (d: { reason?: string }) => (d.reason ? ` (${String(d.reason)})` : '');

/** Subject and body lines, per template; `to` is the name the message is for. Every template has one. */
const templates: { [T in Template]: (d: TemplateData[T], to: string, money: (cents: unknown) => string) => { subject: string; lines: string[] } } = {
  'order-accepted': (d, _to, money) => ({ subject: `Order ${d.orderId}: we have it`, lines: [`Thank you: order ${d.orderId} is reserved and your card authorized for ${money(d.totalCents)}.`, 'You are charged when the parcel leaves.'] }),
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
export function render(template: string, data: Data, to: string, shop: ShopFace): Rendered {
  const money = (cents: unknown) => (typeof cents === 'number' ? formatMoney(cents, shop.currency) : '');
  // The data is what a workflow queued for this template (TemplateData): read back from the outbox as JSON.
  const { subject, lines } = (isTemplate(template) ? templates[template](data as never, to, money) : undefined) ?? {
    subject: `${template}: ${data.orderId ?? ''}`.trim(),
    lines: Object.entries(data).map(([k, v]) => `${k}: ${String(v)}`),
  };
  return { subject, text: `${lines.join('\n\n')}\n\n-- ${shop.name}\n`, html: htmlMail(subject, lines, shop.name) };
}

/**
 * One layout for every message, as mail clients read it: a table 600 px wide at most and the
 * full width on a phone, styles inline (many clients drop a <style> block), system fonts, dark
 * text on white whatever the client's theme, the subject as a hidden preview line.
 */
function htmlMail(subject: string, lines: string[], shopName: string): string {
  const font = "font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";
  const paragraphs = lines.map((l) => `<p style="margin:0 0 16px;font-size:16px;line-height:24px;color:#1b1b1b;${font}">${escapeHtml(l)}</p>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="color-scheme" content="light"><title>${escapeHtml(subject)}</title></head>
<body style="margin:0;padding:0;background:#f3f2ee;">
<div style="display:none;max-height:0;overflow:hidden;">${escapeHtml(subject)}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f3f2ee;"><tr><td align="center" style="padding:24px 12px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:600px;background:#ffffff;border-radius:8px;">
<tr><td style="padding:20px 28px;background:#1f5f3a;border-radius:8px 8px 0 0;color:#ffffff;font-size:20px;font-weight:700;${font}">${escapeHtml(shopName)}</td></tr>
<tr><td style="padding:28px 28px 12px;"><h1 style="margin:0 0 16px;font-size:22px;line-height:30px;color:#1b1b1b;${font}">${escapeHtml(subject)}</h1>${paragraphs}</td></tr>
<tr><td style="padding:16px 28px 24px;border-top:1px solid #e5e3dc;font-size:13px;line-height:20px;color:#5c5c5c;${font}">${escapeHtml(shopName)}: this message is about your order; there is no need to answer it.</td></tr>
</table></td></tr></table>
</body></html>`;
}
