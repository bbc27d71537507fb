// The state of one order inside its workflow: what it has reserved, charged and shipped, the view
// it publishes, and the rules its Update validators apply.
import { Saga } from '../saga/saga';
import { CustomerIdAttribute, OrderStatusAttribute } from '../shop';
import { finalOrderStatuses, type OrderInput, type OrderStatus, type OrderView, type ShipmentEvent, type ShipmentStatus } from './order';

export class OrderRecord extends Saga<OrderStatus, OrderView> {
  reservationId: string | null = null;
  totalCents: number | null = null;
  unitPrices = new Map<string, number>();
  shipment: OrderView['shipment'] = null;
  dispatched = false;
  delivered = false;

  declare readonly input: OrderInput;

  constructor(input: OrderInput) {
    super(input, 'RECEIVED', { label: 'order', kind: 'order', statusAttribute: OrderStatusAttribute, finalStatuses: finalOrderStatuses }, [
      { key: CustomerIdAttribute, value: input.customerId },
    ]);
  }

  /** The stock is held for the order, at the catalog's prices. */
  reserved(reservation: { reservationId: string; totalCents: number; lines: { sku: string; unitPriceCents: number }[] }): void {
    this.reservationId = reservation.reservationId;
    this.totalCents = reservation.totalCents;
    this.unitPrices = new Map(reservation.lines.map((l) => [l.sku, l.unitPriceCents]));
    this.moveTo('INVENTORY_RESERVED');
  }

  protected get customer(): string {
    return this.input.email;
  }

  /** The customer id is the shop's opaque one; the email and the address stay out of events. */
  protected eventFacts() {
    return { totalCents: this.totalCents, customerId: this.input.customerId };
  }

  tellEnding(): Promise<void> {
    return this.tellCustomer(this.cancelled ? 'order-cancelled' : 'order-failed', { reason: this.failure?.message });
  }

  /** Why a cancel request must be refused now, if it must: goods gone, order over, or failing. */
  cancelRefusal(): string | undefined {
    if (this.dispatched) return 'the shipment has already been dispatched';
    if (this.isFinal) return `the order is already ${this.status}`;
    if (this.unwinding && !this.stopRequested) return 'the order has failed and is already being undone';
    return undefined;
  }

  /** Why a carrier's event must be refused now, if it must: only a booked or travelling parcel has news. */
  shipmentEventRefusal(): string | undefined {
    if (this.stopRequested || this.unwinding) return `the order is ${this.stopRequested ? 'being cancelled' : 'failing'}: it has no shipment on its way`;
    if (this.status !== 'SHIPMENT_CREATED' && this.status !== 'DISPATCHED') return `the order is ${this.status}: it has no shipment on its way`;
    return undefined;
  }

  /** Records what became of the parcel. */
  markShipment(status: ShipmentStatus): void {
    if (this.shipment) this.shipment.status = status;
  }

  /** What the carrier said, as the workflow records it. */
  carrierReported(event: ShipmentEvent): void {
    this.dispatched = true;
    if (this.shipment && this.shipment.status === 'CREATED') this.shipment.status = 'DISPATCHED';
    if (event === 'DELIVERED') this.delivered = true;
  }

  /** Whether the main workflow has acted on the carrier's event (or the order has ended). */
  hasActedOn(event: ShipmentEvent): boolean {
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
