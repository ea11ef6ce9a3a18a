import express, { type NextFunction, type Request, type Response } from 'express';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import client from 'prom-client';
import { serveApi } from './api';
import { bearerAuth } from './auth';
import { MAX_BODY_BYTES } from './codec';
import { versionInfo } from './discovery';
import { openApiDocument } from './openapi';
import { servedResources } from '../../shared/api/registry';
import type { ApiContext } from './handlers/context';
import { StatusError } from '../../shared/api/status';
import { send, sendError } from './respond';
import { applyWebhook, packetsWebhook } from './webhook';
import { ProxyRulesStore } from '../../shared/netstate/proxy-rules';

export interface AppOptions extends ApiContext {
  /** Bearer tokens accepted. */
  tokens: string[];
  /** Registry served on `/metrics`. */
  metrics: client.Registry;
}

type AsyncHandler = (req: Request, res: Response) => Promise<void>;

/** Runs an async handler, turning any error into a Kubernetes Status response. */
const handle = (fn: AsyncHandler) => (req: Request, res: Response) => {
  fn(req, res).catch((err: unknown) => sendError(req, res, err));
};

function requestMetrics(registry: client.Registry) {
  const total = new client.Counter({ name: 'apiserver_request_total', help: 'Counter of apiserver requests broken out by verb, resource and HTTP response code.', labelNames: ['verb', 'code'], registers: [registry] });
  const duration = new client.Histogram({
    name: 'apiserver_request_duration_seconds',
    help: 'Response latency distribution in seconds for each verb.',
    labelNames: ['verb'],
    buckets: [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60],
    registers: [registry],
  });
  return (req: Request, res: Response, next: NextFunction) => {
    const end = duration.startTimer({ verb: req.method });
    res.on('finish', () => {
      end();
      total.inc({ verb: req.method, code: String(res.statusCode) });
    });
    next();
  };
}

export function createApp(opts: AppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(requestMetrics(opts.metrics));
  app.use(bearerAuth(opts.tokens, !!opts.webhookSecret));
  app.use(express.raw({ type: () => true, limit: MAX_BODY_BYTES }));
  for (const path of ['/healthz', '/livez']) app.get(path, (_req, res) => void res.type('text/plain').send('ok'));
  app.get(
    '/readyz',
    handle(async (_req, res) => {
      await opts.redis.ping();
      res.type('text/plain').send('ok');
    }),
  );
  app.get(
    '/metrics',
    handle(async (_req, res) => {
      res.type(opts.metrics.contentType).send(await opts.metrics.metrics());
    }),
  );
  app.get('/version', (req, res) => send(req, res, 200, versionInfo()));
  app.get(/^\/openapi\/v3(\/.*)?$/, (req, res) => {
    const doc = openApiDocument(servedResources, req.path);
    if (doc === undefined) sendError(req, res, new StatusError(404, 'NotFound', 'the server could not find the requested resource'));
    else res.type('application/json').send(JSON.stringify(doc));
  });
  app.post('/webhooks/apply', handle((req, res) => applyWebhook(opts, req, res)));
  app.post('/webhooks/packets', handle((req, res) => packetsWebhook(opts, req, res)));
  // What a node's (simulated) kube-proxy programmed: iptables-save, ipvsadm -Ln, ip route.
  app.get(
    /^\/debug\/proxy\/([^/]+)\/(iptables-save|ipvsadm|routes)$/,
    handle(async (req, res) => {
      const [node, view] = [req.params[0], req.params[1]];
      const record = await new ProxyRulesStore(opts.redis, opts.store.keys.prefix).read(node);
      if (!record) throw new StatusError(404, 'NotFound', `no kube-proxy rules recorded for node "${node}"`);
      if (view === 'ipvsadm' && record.mode !== 'ipvs') throw new StatusError(404, 'NotFound', `node "${node}" runs kube-proxy in ${record.mode} mode`);
      res.type('text/plain').send(`${view === 'routes' ? record.routes.join('\n') : view === 'ipvsadm' ? record.ipvsadm : record.text}\n`);
    }),
  );
  app.use(
    handle(async (req, res) => {
      if (/^\/apis?(\/|$)/.test(req.path)) return serveApi(opts, req, res);
      throw new StatusError(404, 'NotFound', 'the server could not find the requested resource');
    }),
  );
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => sendError(req, res, err));
  return app;
}

/** Serves the app over HTTPS when `tls` is given (the apiserver always does), else plain HTTP (in-process tests). */
export function listen(app: express.Express, host: string, port: number, tls?: { cert: string; key: string }): Promise<Server> {
  const server = tls ? createHttpsServer(tls, app) : createHttpServer(app);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
