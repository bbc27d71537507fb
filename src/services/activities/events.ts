// The events activity: writes the workflow's status changes to the events outbox, once per event id.
import type { EventOutbox } from '..';
import type { ShopEvent } from '../../shop';

export function eventActivities(events: EventOutbox) {
  return {
    async recordOrderEvents(input: { events: ShopEvent[] }) {
      await events.record(input.events);
    },
  };
}
