// Each kind of workflow's identity: the id format running workflows already carry, and the way
// back from an id or a request path to the order it concerns.
import { describe, expect, it } from 'vitest';
import { coffeeKind } from '../../src/coffee/kind';
import { workflowKinds } from '../../src/main/kinds';
import { orderKind } from '../../src/orders/kind';
import { orderOfPath } from '../../src/shop/workflow-kind';

describe('workflow kinds', () => {
  it('keep the workflow ids that running workflows were started with', () => {
    expect(orderKind.workflowId('A1')).toBe('order-A1');
    expect(coffeeKind.workflowId('A1')).toBe('coffee-A1');
  });

  it('name the workflow types the workers register', () => {
    expect(workflowKinds.map((k) => [k.name, k.workflowType])).toEqual([
      ['order', 'orderFulfillment'],
      ['coffee', 'coffeeOrder'],
    ]);
  });

  it('read the order id back from a workflow id of their own kind only', () => {
    expect(orderKind.orderIdOf('order-A1')).toBe('A1');
    expect(coffeeKind.orderIdOf('coffee-order-7')).toBe('order-7');
    expect(orderKind.orderIdOf('coffee-A1')).toBeUndefined();
    expect(coffeeKind.orderIdOf('order-coffee-A1')).toBeUndefined();
  });

  it('name an order and its place in the HTTP API as the API answers', () => {
    expect(orderKind.describe('A1')).toBe('order "A1"');
    expect(coffeeKind.describe('A1')).toBe('coffee order "A1"');
    expect(orderKind.orderPath('A1')).toBe('/orders/A1');
    expect(coffeeKind.orderPath('A1')).toBe('/coffee/orders/A1');
  });

  it('tell from a request path which order it concerns, if any', () => {
    expect(orderOfPath(workflowKinds, '/orders/A1')).toEqual({ kind: orderKind, orderId: 'A1' });
    expect(orderOfPath(workflowKinds, '/orders/A1/cancel')).toEqual({ kind: orderKind, orderId: 'A1' });
    expect(orderOfPath(workflowKinds, '/coffee/orders/A1/claim')).toEqual({ kind: coffeeKind, orderId: 'A1' });
    expect(orderOfPath(workflowKinds, '/orders')).toBeUndefined();
    expect(orderOfPath(workflowKinds, '/coffee/queue')).toBeUndefined();
    expect(orderOfPath(workflowKinds, '/inventory/MUG')).toBeUndefined();
  });
});
