// The events activity: writes the workflow's status changes to the events outbox, once per event id.
import type { ShopEvent } from '../../shop';
import type { EventOutbox } from '..';

export function eventActivities(events: EventOutbox) {
  return {
    async recordOrderEvents(input: { events: ShopEvent[] }) {
      await events.record(input.events);
    },
  };
}
