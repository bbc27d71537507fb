// An order's page, for a shop order or a coffee: its saga as it happens (steps, what was undone,
// the money), live from the view the order's workflow publishes, in the customer's words.
import { follow, money, renderSteps } from './shop.js';
import { coffeeLines, failureWords, paymentWords, shipmentWords, statusWords } from './words.js';

const $ = (id) => document.getElementById(id);
const apiPath = location.pathname.replace(/^\/track/, '');
const kind = apiPath.startsWith('/coffee/') ? 'coffee' : 'orders';
const orderId = decodeURIComponent(apiPath.split('/').pop());
// A coffee's id is a key the page made up: the title is the customer's name once the order is read.
$('title').textContent = kind === 'coffee' ? 'Your coffee' : `Order ${orderId}`;
$('shipment-row').hidden = kind === 'coffee';

follow(`${apiPath}/events`, {
  onView: (order) => {
    $('message').textContent = '';
    if (kind === 'coffee') {
      $('title').textContent = `Coffee for ${order.customerName}`;
      $('lines').textContent = coffeeLines(order.items);
      document.title = document.title.replace(/^[^·]*/, `Coffee for ${order.customerName} `);
    }
    const { short, sentence } = statusWords(kind, order.status);
    $('status').textContent = short;
    $('status-words').textContent = sentence ? `(${sentence})` : '';
    $('total').textContent = money(order.totalCents) || 'being worked out';
    $('payment').textContent = paymentWords(order.payment.status);
    if (order.shipment) $('shipment').textContent = `${shipmentWords(order.shipment.status)}, tracking ${order.shipment.trackingNumber}`;
    else $('shipment').textContent = 'not booked yet';
    renderSteps($('steps'), order.steps, $('steps-heading'));
    renderSteps($('compensations'), order.compensations, $('compensations-heading'));
    $('failure').textContent = order.failure ? `Why it ended: ${failureWords(order.failure.type, order.failure.message)}.` : '';
  },
  onProblem: (problem) => ($('message').textContent = problem.detail),
});
