// The customer's page: the menu, an order form, then the order as it happens, live.
import { call, follow, money, newKey, refusal, renderSteps } from './shop.js';

const $ = (id) => document.getElementById(id);
const words = {
  RECEIVED: 'we have your order',
  PAID: 'paid; setting your ingredients aside',
  QUEUED: 'waiting for a barista',
  PREPARING: 'being made',
  READY: 'ready: come and pick it up',
  PICKED_UP: 'enjoy!',
  CANCELLED: 'cancelled; you have been refunded',
  FAILED: 'we could not make it; nothing is owed',
  ABANDONED: 'not picked up in time',
  NEEDS_ATTENTION: 'a person at the shop is looking into it',
};
const cancellable = ['RECEIVED', 'PAID', 'QUEUED'];
let stream;

async function showMenu() {
  const { body: menu } = await call('GET', '/coffee/menu');
  $('menu').tBodies[0].replaceChildren(
    ...menu.map((d) => {
      const row = document.createElement('tr');
      const cells = [d.drink, ...['small', 'medium', 'large'].map((s) => money(d.sizes[s]))];
      cells.forEach((text, i) => {
        const cell = document.createElement(i === 0 ? 'th' : 'td');
        if (i === 0) cell.scope = 'row';
        else cell.className = 'money';
        cell.textContent = text;
        row.append(cell);
      });
      return row;
    }),
  );
  $('drink').replaceChildren(...menu.map((d) => new Option(d.drink, d.drink)));
}

async function placeOrder(event) {
  event.preventDefault();
  $('form-message').textContent = '';
  const orderId = newKey();
  const body = {
    customerName: $('name').value.trim(),
    items: [{ drink: $('drink').value, size: $('size').value, quantity: Number($('quantity').value) }],
    paymentToken: $('card').value,
  };
  const answer = await call('POST', '/coffee/orders', { body, headers: { 'Idempotency-Key': orderId } });
  if (!answer.ok) return void ($('form-message').textContent = refusal(answer));
  location.hash = `order=${encodeURIComponent(orderId)}`;
  showOrder(orderId);
}

function showOrder(orderId) {
  $('your-order').hidden = false;
  $('track-link').href = `/track/coffee/orders/${encodeURIComponent(orderId)}`;
  stream?.stop();
  stream = follow(`/coffee/orders/${encodeURIComponent(orderId)}/events`, {
    onView: (order) => render(order),
    onProblem: (problem) => ($('order-message').textContent = problem.detail),
  });
  $('cancel').onclick = () => act(orderId, 'cancel');
  $('pickup').onclick = () => act(orderId, 'pickup');
}

function render(order) {
  $('order-message').textContent = '';
  $('status').textContent = order.status;
  $('status-words').textContent = `(${words[order.status] ?? ''}${order.status === 'PREPARING' && order.barista ? ` by ${order.barista}` : ''})`;
  const lines = order.items.map((i) => `${i.quantity} × ${i.drink} (${i.size})`).join(', ');
  $('summary').textContent = `${order.customerName}: ${lines}, ${money(order.totalCents)}; payment ${order.payment.status.toLowerCase()}`;
  $('cancel').disabled = !cancellable.includes(order.status);
  $('pickup').disabled = order.status !== 'READY';
  renderSteps($('steps'), [...order.steps, ...order.compensations]);
}

async function act(orderId, action) {
  const answer = await call('POST', `/coffee/orders/${encodeURIComponent(orderId)}/${action}`);
  $('order-message').textContent = answer.ok ? '' : refusal(answer);
  if (answer.ok) render(answer.body);
}

$('order-form').addEventListener('submit', placeOrder);
showMenu().catch(() => ($('form-message').textContent = 'the menu could not be loaded; try again in a moment'));
const resumed = new URLSearchParams(location.hash.slice(1)).get('order');
if (resumed) showOrder(resumed);
