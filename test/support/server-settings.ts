// The run's Temporal (dev server or cluster) with shorter intervals than production's, so that the
// deployment tests see in seconds what a shop sees in minutes; never different behavior.
export const testDynamicConfig = {
  // A version no longer current is checked for open pinned workflows every second, not every 3 minutes.
  'matching.wv.VersionDrainageStatusRefreshInterval': '1s',
  'matching.wv.VersionDrainageStatusVisibilityGracePeriod': '1s',
  // A stopped worker is forgotten after 10 s, not 5 minutes, so its version can be retired; idle
  // polls are renewed every 5 s so a running worker is never forgotten.
  'matching.PollerHistoryTTL': '10s',
  'matching.longPollExpirationInterval': '5s',
  // Each test's workers form a deployment of their own (test/support/temporal.ts).
  'matching.maxDeployments': 2000,
  // The worker processes of every test share the built code's version, each on its own task queue.
  'matching.maxTaskQueuesInDeploymentVersion': 1000,
};

/** The same as the CLI dev server's flags. */
export function testDynamicConfigFlags(): string[] {
  return Object.entries(testDynamicConfig).flatMap(([key, value]) => ['--dynamic-config-value', `${key}=${JSON.stringify(value)}`]);
}
