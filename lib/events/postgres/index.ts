export * from './postgres-event-store.js';
export type * from './postgres-event-store.options.js';
export type * from './flow-sql-database.js';
export { pgDatabase } from './pg-database.js';
export { typeOrmDatabase } from './typeorm-database.js';
