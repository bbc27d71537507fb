// The state of one order inside its workflow: the view it publishes, what the UI can filter on.
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
  type ShipmentEvent,
} from '../domain';
import { Journal } from './journal';
import { PublishedView } from './published-view';

export class OrderRecord extends PublishedView<OrderView> {
  readonly journal = new Journal(() => this.publish());
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
    super();
    upsertSearchAttributes([
      { key: OrderStatusAttribute, value: this.status },
      { key: CustomerIdAttribute, value: input.customerId },
    ]);
  }

  moveTo(status: OrderStatus): void {
    this.status = status;
    upsertSearchAttributes([{ key: OrderStatusAttribute, value: status }]);
    this.publish();
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

  /** Why a carrier's event must be refused now, if it must: only a booked or travelling parcel has news. */
  shipmentEventRefusal(): string | undefined {
    if (this.cancelRequested || this.unwinding) return `the order is ${this.cancelRequested ? 'being cancelled' : 'failing'}: it has no shipment on its way`;
    if (this.status !== 'SHIPMENT_CREATED' && this.status !== 'DISPATCHED') return `the order is ${this.status}: it has no shipment on its way`;
    return undefined;
  }

  /** What the carrier said, as the workflow records it. */
  carrierReported(event: ShipmentEvent): void {
    this.dispatched = true;
    if (this.shipment && this.shipment.status === 'CREATED') this.shipment.status = 'DISPATCHED';
    if (event === 'DELIVERED') this.delivered = true;
  }

  /** Whether the main workflow has acted on the carrier's event (or the order has ended). */
  tookIn(event: ShipmentEvent): boolean {
    if (this.isFinal) return true;
    return event === 'DISPATCHED' ? this.status !== 'SHIPMENT_CREATED' : this.shipment?.status === 'DELIVERED';
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
