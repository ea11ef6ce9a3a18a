import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { startRedis, type TestRedis } from '../helpers/redis';
import { ROOT, startApiServer, type ApiServerProcess } from '../helpers/processes';

/** @kubernetes/client-node 1.4's informer (list + watch) sees ADDED, MODIFIED and DELETED. */
let redis: TestRedis;
let api: ApiServerProcess;
beforeAll(async () => {
  redis = await startRedis();
  api = await startApiServer(redis.url, '{clientnode}');
}, 60_000);
afterAll(async () => {
  await api?.stop();
  await redis?.stop();
});

test('informer events follow creates, updates and deletes', async () => {
  const call = (method: string, path: string, body?: unknown, type?: string) => api.call(method, path, body, type);
  await call('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'before' } });
  const child = spawn(process.execPath, [join(ROOT, 'test/fixtures/client-node/informer.mjs')], { env: { ...process.env, KUBECONFIG: api.kubeconfig }, cwd: ROOT });
  const lines: any[] = [];
  let buf = '';
  child.stdout.on('data', (c: Buffer) => {
    buf += c.toString();
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      lines.push(JSON.parse(buf.slice(0, nl)));
      buf = buf.slice(nl + 1);
    }
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const waitFor = async (pred: (l: any) => boolean) => {
    for (let i = 0; i < 200; i++) {
      if (lines.some(pred)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`informer never printed the event; got ${JSON.stringify(lines)} ${stderr}`);
  };
  try {
    await waitFor((l) => l.type === 'add' && l.name === 'before');
    await call('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'live' }, data: { v: '1' } });
    await waitFor((l) => l.type === 'add' && l.name === 'live');
    await call('PATCH', '/api/v1/namespaces/default/configmaps/live', { data: { v: '2' } }, 'application/merge-patch+json');
    await waitFor((l) => l.type === 'update' && l.name === 'live' && l.data?.v === '2');
    await call('DELETE', '/api/v1/namespaces/default/configmaps/live');
    await waitFor((l) => l.type === 'delete' && l.name === 'live');
  } finally {
    child.kill();
  }
}, 60_000);
