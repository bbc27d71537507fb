// The Temporal SDK's process-wide runtime: its logs go to our logger, its metrics to a
// Prometheus endpoint of the worker's own. Installed once, before any connection.
import { Runtime } from '@temporalio/worker';
import { type Logger, SdkLogger } from './logger';

export function installTemporalRuntime(logger: Logger, metricsPort: number): void {
  Runtime.install({
    logger: new SdkLogger(logger.child({ sdk: 'temporal' })),
    telemetryOptions: metricsPort > 0 ? { metrics: { prometheus: { bindAddress: `0.0.0.0:${metricsPort}` } } } : {},
  });
}
