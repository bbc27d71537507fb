// Custom search attributes: registered with the server, upserted by workflows, filtered in the UI.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const OrderStatusAttribute = defineSearchAttributeKey('OrderStatus', SearchAttributeType.KEYWORD);
export const CustomerIdAttribute = defineSearchAttributeKey('CustomerId', SearchAttributeType.KEYWORD);
export const CoffeeStatusAttribute = defineSearchAttributeKey('CoffeeStatus', SearchAttributeType.KEYWORD);

/** Every key the project upserts; the dev server and production setup register each one. */
export const searchAttributeKeys = [OrderStatusAttribute, CustomerIdAttribute, CoffeeStatusAttribute];
