// npm run bench -- --nodes 100 --pods 3000 [--deployments 1] [--kubelets 1] [--tracing off]
// Starts a private Redis and every role as real processes, creates Deployments with --pods pods in
// total, and measures time to all Ready, pods/s, pod startup latency (creation → Ready) p50/p90/p99,
// API mutating call latency, Redis commands per pod, and CPU / memory per role. Table + JSON line.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Presets, SingleBar } from 'cli-progress';
import { Redis } from 'ioredis';
import { freeLoopbackPort } from '../cli/redis-child';
import { benchRedis, commandsProcessed } from './redis';
import { summarize } from './stats';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const NODES = Number(arg('nodes', '100'));
const PODS = Number(arg('pods', '3000'));
const DEPLOYMENTS = Number(arg('deployments', '1'));
const KUBELETS = Number(arg('kubelets', '1'));
const TRACING = arg('tracing', 'on') !== 'off';
const DIST = resolve(__dirname, '..');

interface Role {
  name: string;
  child: ChildProcess;
}

function startRole(name: string, entry: string, env: NodeJS.ProcessEnv): Promise<Role> {
  const child = spawn(process.execPath, [join(DIST, entry)], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolvePromise, reject) => {
    let out = '';
    const onData = (c: Buffer) => {
      out += c.toString();
      if (/: ready/.test(out)) resolvePromise({ name, child });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) => reject(new Error(`${name} exited (${code}):\n${out}`)));
  });
}

function call(url: string, ca: string, token: string, method: string, body?: unknown): Promise<{ status: number; body: any; ms: number }> {
  const t0 = performance.now();
  return new Promise((resolvePromise, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(url, { method, ca, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString() || 'null'), ms: performance.now() - t0 }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** CPU seconds and resident MiB of a process, from /proc. */
function usage(pid: number): { cpuSeconds: number; rssMiB: number } {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    const ticks = Number(stat[11]) + Number(stat[12]);
    const rssPages = Number(stat[21]);
    return { cpuSeconds: Math.round((ticks / 100) * 100) / 100, rssMiB: Math.round((rssPages * 4096) / 1048576) };
  } catch {
    return { cpuSeconds: 0, rssMiB: 0 };
  }
}

const ready = (p: any) => (p.status?.conditions ?? []).find((c: any) => c.type === 'Ready' && c.status === 'True');

async function main() {
  const redisHandle = await benchRedis();
  const redis = new Redis(redisHandle.url);
  const port = await freeLoopbackPort();
  const home = mkdtempSync(join(tmpdir(), 'kubeq-bench-'));
  const prefix = `{bench-${Date.now()}}`;
  const env: NodeJS.ProcessEnv = { REDIS_URL: redisHandle.url, KUBEQ_REDIS_PREFIX: prefix, KUBEQ_API_PORT: String(port), KUBEQ_HOME: home, KUBEQ_TOKEN: 'bench', ...(TRACING ? {} : { OTEL_SDK_DISABLED: 'true' }) };
  console.log(`bench: ${NODES} nodes, ${PODS} pods in ${DEPLOYMENTS} deployment(s), tracing ${TRACING ? 'on' : 'off'}; starting roles…`);
  const roles: Role[] = [await startRole('apiserver', 'services/apiserver/main.js', env)];
  const perKubelet = Math.ceil(NODES / KUBELETS);
  roles.push(
    ...(await Promise.all([
      startRole('controller-manager', 'workers/controller-manager/main.js', env),
      startRole('scheduler', 'workers/scheduler/main.js', env),
      ...Array.from({ length: KUBELETS }, (_, k) =>
        startRole(`kubelet-${k}`, 'workers/kubelet/main.js', { ...env, KUBEQ_NODES: String(Math.min(perKubelet, NODES - k * perKubelet)), KUBEQ_NODE_PREFIX: `node-${k}`, KUBEQ_NODE_INDEX: String(k * perKubelet), KUBEQ_INSTANCE: `kubelet-${k}` }),
      ),
    ])),
  );
  const url = `https://127.0.0.1:${port}`;
  const ca = readFileSync(join(home, 'pki', 'ca.crt'), 'utf8');
  const before = await commandsProcessed(redis);
  const bar = new SingleBar({ format: 'pods Ready |{bar}| {value}/{total} {duration}s', hideCursor: true }, Presets.shades_classic);
  const start = Date.now();
  const apiLatencies: number[] = [];
  for (let d = 0; d < DEPLOYMENTS; d++) {
    const replicas = Math.floor(PODS / DEPLOYMENTS) + (d < PODS % DEPLOYMENTS ? 1 : 0);
    const res = await call(`${url}/apis/apps/v1/namespaces/default/deployments`, ca, 'bench', 'POST', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: `bench-${d}` },
      spec: { replicas, selector: { matchLabels: { app: `bench-${d}` } }, template: { metadata: { labels: { app: `bench-${d}` } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27', resources: { requests: { cpu: '10m', memory: '16Mi' } } }] } } },
    });
    apiLatencies.push(res.ms);
    if (res.status !== 201) throw new Error(`creating the deployment answered ${res.status}: ${JSON.stringify(res.body)}`);
  }
  bar.start(PODS, 0);
  let pods: any[] = [];
  for (;;) {
    pods = (await call(`${url}/api/v1/namespaces/default/pods`, ca, 'bench', 'GET')).body.items;
    const n = pods.filter(ready).length;
    bar.update(n);
    if (n >= PODS) break;
    if (Date.now() - start > 600_000) throw new Error(`only ${n} of ${PODS} pods Ready after 10 minutes`);
    await new Promise((r) => setTimeout(r, 500));
  }
  bar.stop();
  const seconds = (Date.now() - start) / 1000;
  const after = await commandsProcessed(redis);
  const startup = pods.map((p) => (Date.parse(ready(p).lastTransitionTime) - Date.parse(p.metadata.creationTimestamp)) / 1000);
  const perRole = Object.fromEntries(roles.map((r) => [r.name, usage(r.child.pid!)]));
  const result = {
    bench: 'workload',
    nodes: NODES,
    pods: PODS,
    deployments: DEPLOYMENTS,
    tracing: TRACING,
    secondsToAllReady: Math.round(seconds * 10) / 10,
    podsPerSecond: Math.round(PODS / seconds),
    startupSeconds: summarize(startup),
    apiCreateMs: summarize(apiLatencies),
    redisCommandsPerPod: Math.round((after - before) / PODS),
    roles: perRole,
  };
  console.log(`\nall ${PODS} pods Ready in ${result.secondsToAllReady} s (${result.podsPerSecond} pods/s); startup p50 ${result.startupSeconds.p50} s, p90 ${result.startupSeconds.p90} s, p99 ${result.startupSeconds.p99} s (second resolution)`);
  console.log(`Redis commands per pod: ${result.redisCommandsPerPod}`);
  console.log('role                 cpu s   rss MiB');
  for (const [name, u] of Object.entries(perRole)) console.log(`${name.padEnd(20)} ${String(u.cpuSeconds).padStart(6)}  ${String(u.rssMiB).padStart(8)}`);
  console.log(JSON.stringify(result));
  for (const r of roles) r.child.kill('SIGKILL');
  redis.disconnect();
  redisHandle.stop();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
