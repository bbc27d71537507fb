// An order's page, for a shop order or a coffee: its saga as it happens (steps, what was undone,
// the money), live from the view the order's workflow publishes.
import { follow, money, renderSteps } from './shop.js';

const $ = (id) => document.getElementById(id);
const apiPath = location.pathname.replace(/^\/track/, '');
$('order-id').textContent = decodeURIComponent(apiPath.split('/').pop());

follow(`${apiPath}/events`, {
  onView: (order) => {
    $('message').textContent = '';
    $('status').textContent = order.status;
    $('total').textContent = money(order.totalCents);
    $('payment').textContent = order.payment.status;
    $('shipment').textContent = order.shipment ? `${order.shipment.status}, tracking ${order.shipment.trackingNumber}` : '—';
    renderSteps($('steps'), order.steps);
    renderSteps($('compensations'), order.compensations);
    $('failure').textContent = order.failure ? `Why it ended: ${order.failure.type}: ${order.failure.message}` : '';
  },
  onProblem: (problem) => ($('message').textContent = problem.detail),
});
