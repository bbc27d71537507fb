// The barista board: sign in with a staff token, then the queue and the counter, live. Each
// button sends the order's Update through the API; a refusal (409) is shown in words.
import { call, follow, refusal } from './shop.js';
import { coffeeLines, coffeeStatusWords } from './words.js';

const $ = (id) => document.getElementById(id);
const TOKEN_KEY = 'staff-token';
let stream;
let latest = { orders: [], claimSlaSeconds: 300 };

const auth = () => ({ authorization: `Bearer ${sessionStorage.getItem(TOKEN_KEY)}` });

async function signIn(token) {
  sessionStorage.setItem(TOKEN_KEY, token);
  const answer = await call('GET', '/coffee/queue', { headers: auth() });
  if (!answer.ok) {
    sessionStorage.removeItem(TOKEN_KEY);
    $('sign-in-message').textContent = `Not signed in: ${answer.body?.detail ?? answer.status}`;
    return;
  }
  $('sign-in-message').textContent = '';
  $('sign-in').hidden = true;
  $('board').hidden = false;
  $('who').textContent = nameIn(token);
  stream?.stop();
  stream = follow('/coffee/board/events', {
    headers: auth(),
    onView: (board) => {
      latest = board;
      render();
    },
    onProblem: (problem) => ($('board-message').textContent = problem.detail),
  });
}

/** The name the token carries, to greet; the API checks the token itself. */
function nameIn(token) {
  try {
    const payload = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    return `${payload.sub} (${payload.role})`;
  } catch {
    return 'staff';
  }
}

function render() {
  const queue = latest.orders.filter((o) => o.status !== 'READY');
  const ready = latest.orders.filter((o) => o.status === 'READY');
  place($('queue'), queue, 'No one is waiting.');
  place($('ready'), ready, 'Nothing on the counter.');
}

/** Updates the list in place, card by card, so focus and a half-typed reason survive an update. */
function place(list, orders, empty) {
  const cards = new Map([...list.querySelectorAll(':scope > li[data-order-id]')].map((li) => [li.dataset.orderId, li]));
  const wanted = orders.map((o) => {
    const card = cards.get(o.orderId) ?? newCard(o);
    fill(card, o);
    cards.delete(o.orderId);
    return card;
  });
  for (const gone of cards.values()) gone.remove();
  if (wanted.length === 0) {
    const note = document.createElement('li');
    note.className = 'muted';
    note.textContent = empty;
    list.replaceChildren(note);
  } else {
    list.replaceChildren(...wanted);
  }
}

function newCard(order) {
  const card = document.createElement('li');
  card.dataset.orderId = order.orderId;
  const id = `o-${order.orderId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  card.innerHTML = `
    <h3></h3>
    <p class="details"></p>
    <p class="late" hidden></p>
    <div class="actions">
      <button type="button" data-action="claim" class="primary">Claim</button>
      <button type="button" data-action="ready" class="primary">Mark ready</button>
      <label for="${id}-reason">Reason</label>
      <input id="${id}-reason" class="reason" maxlength="500">
      <button type="button" data-action="fail">Report failure</button>
      <button type="button" data-action="pickup" class="primary">Hand over</button>
      <a class="history" target="_blank" rel="noopener">History in Temporal</a>
    </div>`;
  card.addEventListener('click', (event) => {
    const action = event.target.closest('button[data-action]')?.dataset.action;
    if (action) void act(card, action);
  });
  return card;
}

function fill(card, order) {
  card.querySelector('h3').textContent = `${order.customerName}: ${coffeeLines(order.items ?? [])}`;
  const waited = Math.floor((Date.now() - Date.parse(order.orderedAt)) / 60000);
  card.querySelector('.details').textContent = `${coffeeStatusWords(order)} · ordered ${waited} min ago`;
  const late = card.querySelector('.late');
  late.hidden = !(order.status === 'QUEUED' && Date.now() - Date.parse(order.orderedAt) > latest.claimSlaSeconds * 1000);
  late.textContent = `Waiting over ${Math.round(latest.claimSlaSeconds / 60)} min: the shift manager has been told`;
  const show = { claim: order.status === 'QUEUED', ready: order.status === 'PREPARING', fail: order.status === 'PREPARING', pickup: order.status === 'READY' };
  for (const button of card.querySelectorAll('button[data-action]')) button.hidden = !show[button.dataset.action];
  card.querySelector('.reason').hidden = card.querySelector('label').hidden = !show.fail;
  card.querySelector('.history').href = order.temporalUi;
}

async function act(card, action) {
  const reason = card.querySelector('.reason').value.trim();
  const body = action === 'fail' ? { reason } : undefined;
  const path = `/coffee/orders/${encodeURIComponent(card.dataset.orderId)}`;
  const answer = await call('POST', `${path}/${action}`, { body, headers: auth() });
  $('board-message').textContent = answer.ok ? '' : `${card.querySelector('h3').textContent}: ${await refusedBecause(answer, path)}`;
}

/** A 409 means the order moved on (another barista was quicker): say where it is now, in words. */
async function refusedBecause(answer, path) {
  if (answer.status !== 409) return refusal(answer);
  const now = (await call('GET', path)).body;
  if (!now?.status) return refusal(answer);
  const where = coffeeStatusWords(now);
  return `not possible now: it is ${where.charAt(0).toLowerCase()}${where.slice(1)}`;
}

$('sign-in').addEventListener('submit', (event) => {
  event.preventDefault();
  void signIn($('token').value.trim());
});
$('sign-out').addEventListener('click', () => {
  stream?.stop();
  sessionStorage.removeItem(TOKEN_KEY);
  location.reload();
});
// Waiting times (and the unclaimed alert) move on between updates.
setInterval(render, 5000);
if (sessionStorage.getItem(TOKEN_KEY)) void signIn(sessionStorage.getItem(TOKEN_KEY));
