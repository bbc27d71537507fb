// The Temporal connection and client the API uses: quick to say Temporal is away, quick to
// notice it is back, and carrying the caller's trace context to workflows.
import { Client, Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import type { TemporalConnectionOptions } from './connection';

/**
 * Lazy: the API comes up even while Temporal is away, and /readyz says so. By default the client
 * retries an unreachable server ten times (about 20 s) and gRPC waits up to two minutes between
 * reconnection attempts. A request should rather hear 503 within about a second (its caller
 * retries), and the API should be back within seconds of the server, without a restart.
 */
export function connectLazily(options: TemporalConnectionOptions): Connection {
  return Connection.lazy({
    ...options,
    interceptors: [makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: 4 }))],
    channelArgs: { 'grpc.initial_reconnect_backoff_ms': 500, 'grpc.max_reconnect_backoff_ms': 3000 },
  });
}

/** The codec seals every payload the client sends and opens every one it reads (src/security). */
export function createTemporalClient(connection: Connection, namespace: string, codec: PayloadCodec): Client {
  return new Client({ connection, namespace, dataConverter: { payloadCodecs: [codec] }, interceptors: { workflow: [new OpenTelemetryWorkflowClientInterceptor()] } });
}
