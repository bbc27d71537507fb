// The state of one order inside its workflow: what the query shows and the UI can filter on.
import { log, upsertSearchAttributes } from '@temporalio/workflow';
import {
  CustomerIdAttribute,
  type FailureRecord,
  finalOrderStatuses,
  type OrderInput,
  OrderStatusAttribute,
  type OrderStatus,
  type OrderView,
  type PaymentStatus,
} from '../domain';
import { Journal } from './journal';

export class OrderRecord {
  readonly journal = new Journal();
  status: OrderStatus = 'RECEIVED';
  reservationId: string | null = null;
  totalCents: number | null = null;
  unitPrices = new Map<string, number>();
  payment: OrderView['payment'] = { status: 'PENDING', paymentId: null };
  shipment: OrderView['shipment'] = null;
  failure: FailureRecord | null = null;
  cancelRequested = false;
  /** Set once the saga starts undoing steps, whatever the reason. */
  unwinding = false;
  dispatched = false;
  delivered = false;

  constructor(readonly input: OrderInput) {
    upsertSearchAttributes([
      { key: OrderStatusAttribute, value: this.status },
      { key: CustomerIdAttribute, value: input.customerId },
    ]);
  }

  moveTo(status: OrderStatus): void {
    this.status = status;
    upsertSearchAttributes([{ key: OrderStatusAttribute, value: status }]);
    log.info('order status', { orderId: this.input.orderId, status });
  }

  setPayment(status: PaymentStatus, paymentId = this.payment.paymentId): void {
    this.payment = { status, paymentId };
  }

  get isFinal(): boolean {
    return finalOrderStatuses.includes(this.status);
  }

  /** Why a cancel request must be refused now, if it must: goods gone, order over, or failing. */
  cancelRefusal(): string | undefined {
    if (this.dispatched) return 'the shipment has already been dispatched';
    if (this.isFinal) return `the order is already ${this.status}`;
    if (this.unwinding && !this.cancelRequested) return 'the order has failed and is already being undone';
    return undefined;
  }

  view(): OrderView {
    return {
      orderId: this.input.orderId,
      customerId: this.input.customerId,
      status: this.status,
      totalCents: this.totalCents,
      items: this.input.items.map((i) => ({ ...i, unitPriceCents: this.unitPrices.get(i.sku) ?? null })),
      payment: { ...this.payment },
      shipment: this.shipment && { ...this.shipment },
      steps: [...this.journal.steps],
      compensations: [...this.journal.compensations],
      failure: this.failure,
    };
  }
}
