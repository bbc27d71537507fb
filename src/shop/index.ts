// The shared kernel: what every kind of order in the shop shares, types and rules only. The
// workflow sandbox loads this, so it holds no schema library (the zod schemas are in ./schemas)
// and no business: each kind's model is in its own folder (src/orders/, src/coffee/).
export * from './shop';
export * from './failures';
export * from './input-checks';
export * from './search-attributes';
export * from './events';
export * from './notifications';
