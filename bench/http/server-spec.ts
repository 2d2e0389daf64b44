/** Which bench app a server child runs. */
export interface ServerSpec {
  /** `signature`: endpoint + bare GET; `receiver`: built-in receiver + bare POST. */
  app: 'signature' | 'receiver';
  /** HTTP adapter. */
  platform: 'express' | 'fastify';
  /** Receiver store: the module's default (the bounded memory store) or Redis at `redisUrl`. */
  store?: 'default' | 'redis';
  /** `redis://127.0.0.1:<port>` of the bench's own redis-server. */
  redisUrl?: string;
  /** Ids completed in the store before the load starts. */
  prefillIds?: number;
}

/** What the parent asks a server child. */
export type ServerRequest =
  { type: 'stats' } | { type: 'memory'; gc?: boolean } | { type: 'cpu' } | { type: 'stop' };
