// Every message the workflows queue has its own words, in text and HTML.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { render, templateNames } from '../../src/services/mail-templates';
import { defaultShopFace } from '../../src/shop';

/** The templates the workflow code names, read from the code itself. */
function templatesTheWorkflowsSend(): string[] {
  const dirs = ['orders', 'coffee', 'saga'].map((folder) => path.join(__dirname, '..', '..', 'src', folder));
  const code = dirs.flatMap((dir) => fs.readdirSync(dir).map((f) => fs.readFileSync(path.join(dir, f), 'utf8'))).join('\n');
  const named = [...code.matchAll(/(?:tellCustomer|notifications\.send)\((?:[A-Z_]+, )?(?:this\.cancelled \? )?'([a-z-]+)'(?: : '([a-z-]+)')?/g)].flatMap((m) => [m[1], m[2]]);
  return [...new Set(named.filter((n): n is string => Boolean(n)))].sort();
}

describe('mail templates', () => {
  it('exist for every message the workflows send', () => {
    const sent = templatesTheWorkflowsSend();
    expect(sent.length).toBeGreaterThanOrEqual(9);
    expect(sent.filter((t) => !(templateNames as string[]).includes(t))).toEqual([]);
  });

  it.each(templateNames)('%s renders a subject, a text and an HTML body, escaping what it is given', (template) => {
    const mail = render(template, { orderId: 'A1', totalCents: 1250, trackingNumber: 'TRK1', reason: '<b>late</b>', customerName: 'Ada', waitingSeconds: 300 }, 'Ada', { name: 'Corner <Shop>', currency: 'EUR' });
    expect(mail.subject.length).toBeGreaterThan(5);
    expect(mail.text).toMatch(/\n-- Corner <Shop>\n$/);
    expect(mail.html).toContain('Corner &#60;Shop&#62;');
    expect(mail.html).toMatch(/^<!doctype html>/);
    expect(mail.html).not.toContain('<b>late</b>');
  });

  it('sends a message with no template of its own as its data, never nothing', () => {
    expect(render('something-new', { orderId: 'Z9', note: 'hello' }, 'you', defaultShopFace)).toMatchObject({ subject: 'something-new: Z9', text: expect.stringContaining('note: hello') });
  });
});

describe('a customer email', () => {
  it("says the amount in the shop's currency, is signed with its name, and lays out in one column that fits a phone", () => {
    const mail = render('order-accepted', { orderId: 'A1001', totalCents: 2500 }, 'you', { name: 'Corner Shop', currency: 'EUR' });
    expect(mail.text).toContain('€25.00');
    expect(mail.text).toMatch(/\n-- Corner Shop\n$/);
    expect(mail.html).toContain('€25.00');
    expect(mail.html).toContain('name="viewport"');
    expect(mail.html).toContain('max-width:600px');
    expect(mail.html).not.toContain('temporal-fulfillment');
    expect(render('order-accepted', { orderId: 'A1001', totalCents: 2500 }, 'you', defaultShopFace).text).toContain('$25.00');
  });
});
