// The coffee workflow's queries and updates: imported by the workflow and by the API alike.
// Queries are for people (the CLI, the Web UI); the API reads the view the workflow publishes.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { CoffeeView } from './coffee';

/** The coffee order as it stands. */
export const getCoffeeOrder = defineQuery<CoffeeView>('getCoffeeOrder');

/** A barista takes a queued order; refused unless it is QUEUED, so only one barista wins. */
export const claimCoffee = defineUpdate<CoffeeView, [{ barista: string }]>('claimCoffee');

/** The barista has made the drinks; refused unless the order is PREPARING. */
export const markCoffeeReady = defineUpdate<CoffeeView, []>('markCoffeeReady');

/** The barista cannot make the drinks: the customer is refunded. Refused unless PREPARING. */
export const reportCoffeeFailure = defineUpdate<CoffeeView, [{ reason: string }]>('reportCoffeeFailure');

/** The customer has the drinks; refused unless READY. */
export const pickUpCoffee = defineUpdate<CoffeeView, []>('pickUpCoffee');

/** The customer changes their mind; refused once a barista has started. */
export const cancelCoffee = defineUpdate<CoffeeView, []>('cancelCoffee');
