import type { Server } from 'node:http';
import client from 'prom-client';
import { lookupResourceByName } from '../../shared/api/registry';
import { Store } from '../../shared/store/store';
import { ensureSystemNamespaces } from '../../services/apiserver/handlers/admission';
import { createApp, listen } from '../../services/apiserver/server';
import type { TestRedis } from './redis';

/** The apiserver's HTTP app in the test process, on a real port, over a real Redis. */
export interface TestApi {
  url: string;
  token: string;
  store: Store;
  prefix: string;
  /** fetch with the bearer token; `body` objects are sent as JSON. */
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any; text: string; headers: Headers }>;
  close(): Promise<void>;
}

let counter = 0;

export async function startApi(redis: TestRedis, opts: { webhookSecret?: string; logMaxLen?: number } = {}): Promise<TestApi> {
  const prefix = `{api${process.pid}-${++counter}}`;
  const conn = redis.client();
  const store = new Store(conn, { prefix, resources: lookupResourceByName, logMaxLen: opts.logMaxLen });
  await ensureSystemNamespaces(store);
  const token = 'secret-token';
  const app = createApp({ store, redis: conn, prefix, webhookSecret: opts.webhookSecret, tokens: [token], metrics: new client.Registry() });
  const server: Server = await listen(app, '127.0.0.1', 0);
  const addr = server.address();
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  return {
    url,
    token,
    store,
    prefix,
    async call(method, path, body, headers = {}) {
      const isRaw = typeof body === 'string' || Buffer.isBuffer(body);
      const res = await fetch(url + path, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body !== undefined && !isRaw ? { 'content-type': 'application/json' } : {}), ...headers },
        body: body === undefined ? undefined : isRaw ? (body as string) : JSON.stringify(body),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        /* not JSON: keep the text */
      }
      return { status: res.status, body: parsed, text, headers: res.headers };
    },
    close() {
      server.closeAllConnections();
      return new Promise((r) => server.close(() => r()));
    },
  };
}
