// OpenTelemetry traces: an HTTP request's span is the parent of the workflow it starts, whose
// spans are the parents of its activities (Temporal's interceptors carry the context in
// headers). Spans are exported over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set.
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, NoopSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';

export interface Tracing {
  resource: Resource;
  /** Where workflow spans go (through the worker's sink); drops them when tracing is off. */
  spanProcessor: SpanProcessor;
  /** Flushes spans not yet exported. */
  shutdown: () => Promise<void>;
}

export function startTracing(serviceName: string, endpoint: string | undefined): Tracing {
  const resource = new Resource({ 'service.name': serviceName });
  if (!endpoint) return { resource, spanProcessor: new NoopSpanProcessor(), shutdown: async () => undefined };
  const spanProcessor = new BatchSpanProcessor(new OTLPTraceExporter({ url: `${endpoint.replace(/\/$/, '')}/v1/traces` }));
  const provider = new BasicTracerProvider({ resource, spanProcessors: [spanProcessor] });
  // Global, so Temporal's interceptors and our HTTP spans find it; W3C trace context propagation.
  provider.register({ contextManager: new AsyncLocalStorageContextManager().enable() });
  return { resource, spanProcessor, shutdown: () => provider.shutdown() };
}
