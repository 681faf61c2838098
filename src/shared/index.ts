/** Cross-process contracts: the typed API, schemas, DTOs and the result envelope. */
export * from './result';
export * from './schemas';
export * from './api';
export type * from './dto';
