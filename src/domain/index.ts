// Pure types and rules shared by the API, the workflows and the activities. The workflow sandbox
// loads this, so it holds no schema library: the API's zod schemas are in ./schemas, and each
// workflow kind's identity is in ./workflow-kinds.
export * from './shop';
export * from './failures';
export * from './order';
export * from './coffee';
export * from './input-checks';
export * from './search-attributes';
export * from './events';
export * from './notifications';
