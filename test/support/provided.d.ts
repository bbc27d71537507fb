// What the global setup hands to every test file through vitest's provide/inject.
import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    /** The TEMPORAL_* settings that reach the run's Temporal (address; certificates on the cluster). */
    temporalEnv: Record<string, string>;
    workflowBundlePath: string;
    /** The build id of that bundle: the version the tests' workers poll with. */
    workflowBuildId: string;
  }
}
