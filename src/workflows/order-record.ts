// The state of one order inside its workflow: what the query shows and the UI can filter on.
import { upsertSearchAttributes } from '@temporalio/workflow';
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
  }

  setPayment(status: PaymentStatus, paymentId = this.payment.paymentId): void {
    this.payment = { status, paymentId };
  }

  get isFinal(): boolean {
    return finalOrderStatuses.includes(this.status);
  }

  /** Cancelling is possible until the goods leave the warehouse. */
  get cancellable(): boolean {
    return !this.isFinal && !this.dispatched;
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
