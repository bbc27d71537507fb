// The floor's activities: nothing at all, so only Temporal's own cost remains.
export const floorActivities = {
  async nothing(): Promise<void> {
    return undefined;
  },
};
