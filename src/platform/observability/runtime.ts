// The Temporal SDK's process-wide runtime: its logs go to our logger, its metrics to a
// Prometheus endpoint of the worker's own. Installed once, before any connection.
import { Runtime } from '@temporalio/worker';
import { type Logger, SdkLogger } from './logger';

export interface RuntimeOptions {
  /** Prometheus port for the SDK's metrics; 0 for none. */
  metricsPort: number;
  /**
   * Whether the SDK itself shuts workers down on SIGINT/SIGTERM. A process that also serves the
   * API turns this off and stops the API first, since requests in flight need the worker.
   */
  workerStopsOnSignals: boolean;
}

export function installTemporalRuntime(logger: Logger, { metricsPort, workerStopsOnSignals }: RuntimeOptions): void {
  Runtime.install({
    ...(workerStopsOnSignals ? {} : { shutdownSignals: [] }),
    logger: new SdkLogger(logger.child({ sdk: 'temporal' })),
    telemetryOptions: metricsPort > 0 ? { metrics: { prometheus: { bindAddress: `0.0.0.0:${metricsPort}` } } } : {},
  });
}
