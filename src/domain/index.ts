// Pure types, schemas and rules shared by the API, the workflows and the activities.
export * from './failures';
export * from './order';
export * from './coffee';
export * from './search-attributes';
