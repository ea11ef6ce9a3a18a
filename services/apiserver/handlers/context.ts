import type { Redis } from 'ioredis';
import type { Store } from '../../../shared/store/store';

/** What every handler needs: the store (the only writer) and Redis for watches and webhook deliveries. */
export interface ApiContext {
  store: Store;
  redis: Redis;
  /** Key prefix for the apiserver's own keys (webhook deliveries). */
  prefix: string;
  webhookSecret?: string;
}
