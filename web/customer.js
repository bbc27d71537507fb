// The customer's page: the menu, an order form, then the order as it happens, live.
import { call, follow, money, newKey, refusal, renderSteps } from './shop.js';
import { coffeeLines, paymentWords, statusWords } from './words.js';

const $ = (id) => document.getElementById(id);
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

let shown;

/** A 409: the order moved on since the button was pressed; the page says where it is now. */
function refusedNow(action) {
  const what = action === 'cancel' ? 'cancelled' : 'picked up';
  return `It can no longer be ${what}: it is ${statusWords('coffee', shown?.status).short.toLowerCase()}.`;
}

function render(order) {
  shown = order;
  $('order-message').textContent = '';
  const { short, sentence } = statusWords('coffee', order.status);
  $('status').textContent = short;
  $('status-words').textContent = `(${order.status === 'PREPARING' && order.barista ? `${order.barista} is making it` : sentence})`;
  $('summary').textContent = `${order.customerName}: ${coffeeLines(order.items)}, ${money(order.totalCents)}; ${paymentWords(order.payment.status)}`;
  $('cancel').disabled = !cancellable.includes(order.status);
  $('pickup').disabled = order.status !== 'READY';
  renderSteps($('steps'), [...order.steps, ...order.compensations], $('steps-heading'));
}

async function act(orderId, action) {
  const answer = await call('POST', `/coffee/orders/${encodeURIComponent(orderId)}/${action}`);
  $('order-message').textContent = answer.ok ? '' : answer.status === 409 ? refusedNow(action) : refusal(answer);
  if (answer.ok) render(answer.body);
}

$('order-form').addEventListener('submit', placeOrder);
showMenu().catch(() => ($('form-message').textContent = 'the menu could not be loaded; try again in a moment'));
const resumed = new URLSearchParams(location.hash.slice(1)).get('order');
if (resumed) showOrder(resumed);
