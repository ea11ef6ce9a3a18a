import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectDefaultMetrics, Registry } from 'prom-client';

let processWide: Registry | undefined;

/**
 * The process's Prometheus registry, created on first use with prom-client's default process
 * metrics (CPU, memory, event loop lag). Tests pass a registry of their own instead.
 */
export function processRegistry(): Registry {
  if (!processWide) {
    processWide = new Registry();
    collectDefaultMetrics({ register: processWide });
  }
  return processWide;
}

/**
 * A request handler answering with the registry's metrics in the Prometheus text format.
 * Works as a plain `http` handler and as an Express route (`app.get('/metrics', metricsHandler())`).
 */
export function metricsHandler(registry: Registry = processRegistry()): (req: IncomingMessage, res: ServerResponse) => void {
  return (_req, res) => {
    registry.metrics().then(
      (text) => {
        res.statusCode = 200;
        res.setHeader('Content-Type', registry.contentType);
        res.end(text);
      },
      (err: unknown) => {
        res.statusCode = 500;
        res.setHeader('Content-Type', 'text/plain; charset=utf-8');
        res.end(`collecting metrics failed: ${(err as Error).message}\n`);
      },
    );
  };
}

export interface MetricsServer {
  /** The port it listens on (the one chosen by the OS when 0 was asked for). */
  port: number;
  close(): Promise<void>;
}

/**
 * Serves `GET /metrics` on `port` (0 picks a free one) and 404 for everything else.
 * `host` defaults to all interfaces, as a Prometheus scrape target needs.
 */
export async function serveMetrics(port: number, registry: Registry = processRegistry(), host = '0.0.0.0'): Promise<MetricsServer> {
  const handle = metricsHandler(registry);
  const server: Server = createServer((req, res) => {
    if (req.method === 'GET' && (req.url === '/metrics' || req.url?.startsWith('/metrics?'))) return handle(req, res);
    res.statusCode = 404;
    res.end('not found\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}
