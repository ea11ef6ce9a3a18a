// npm run bench -- --nodes 100 --pods 3000 [--deployments 1] [--kubelets 1] [--tracing off] [--qps 150] [--cpu-prof <dir>]
// Starts a private Redis and every role as real processes, creates Deployments with --pods pods in
// total, and measures time to all Ready, pods/s, pod startup latency (creation → Ready) p50/p90/p99,
// API mutating call latency, Redis commands per pod, and CPU / memory per role. Table + JSON line.
import { mkdtempSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Presets, SingleBar } from 'cli-progress';
import { Redis } from 'ioredis';
import { freeLoopbackPort } from '../cli/redis-child';
import { call, startRole as startProcess, type Role } from './processes';
import { benchRedis, commandsProcessed, commandStats, redisCpuSeconds } from './redis';
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
/**
 * The controller-manager's write rate (KUBEQ_KUBE_API_QPS, burst the same). Pod creation is
 * paced by it, as kube-controller-manager's client paces it (20 by default, 100 in Kubernetes'
 * scale tests); the bench's 150 is what this pipeline takes on 2 vCPUs without queueing, which
 * is how the startup SLO is measured. `--qps 0` creates every pod at once: the queueing shows.
 */
const QPS = arg('qps', '150');
/** Each role writes a V8 CPU profile (open in Chrome DevTools) into this directory when it stops. */
const CPU_PROF = arg('cpu-prof', '');

const profileArgs = (name: string) => (CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${resolve(CPU_PROF)}`, `--cpu-prof-name=${name}.cpuprofile`] : []);
const startRole = (name: string, entry: string, env: NodeJS.ProcessEnv) => startProcess(name, entry, env, profileArgs(name));

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

/** When the bench's watch first saw each pod reach each stage (ms since the deployments were posted). */
interface Seen {
  created: number;
  scheduled?: number;
  running?: number;
  ready?: number;
}

/**
 * Watches pods from `resourceVersion` and records when each is first seen created, bound,
 * Running and Ready: millisecond stage timings (the stored timestamps have whole seconds), at
 * the cost of one watch stream instead of polling lists.
 */
function watchPods(url: string, ca: string, token: string, resourceVersion: string, start: number, seen: Map<string, Seen>, onChange: () => void): () => void {
  const req = request(`${url}/api/v1/namespaces/default/pods?watch=1&resourceVersion=${resourceVersion}&allowWatchBookmarks=false`, { ca, headers: { authorization: `Bearer ${token}` } }, (res) => {
    let buffer = '';
    res.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (!line.trim()) continue;
        const { type, object } = JSON.parse(line);
        if (type !== 'ADDED' && type !== 'MODIFIED') continue;
        const now = Date.now() - start;
        const s = seen.get(object.metadata.uid) ?? { created: now };
        seen.set(object.metadata.uid, s);
        if (object.spec?.nodeName) s.scheduled ??= now;
        if (object.status?.phase === 'Running') s.running ??= now;
        if (ready(object)) s.ready ??= now;
      }
      onChange();
    });
  });
  req.on('error', () => undefined);
  req.end();
  return () => req.destroy();
}

async function main() {
  const redisHandle = await benchRedis();
  const redis = new Redis(redisHandle.url);
  const port = await freeLoopbackPort();
  const home = mkdtempSync(join(tmpdir(), 'kubeq-bench-'));
  const prefix = `{bench-${Date.now()}}`;
  const env: NodeJS.ProcessEnv = { REDIS_URL: redisHandle.url, KUBEQ_REDIS_PREFIX: prefix, KUBEQ_API_PORT: String(port), KUBEQ_HOME: home, KUBEQ_TOKEN: 'bench', ...(TRACING ? {} : { OTEL_SDK_DISABLED: 'true' }) };
  console.log(`bench: ${NODES} nodes, ${PODS} pods in ${DEPLOYMENTS} deployment(s), tracing ${TRACING ? 'on' : 'off'}, controller-manager writes ${QPS === '0' ? 'unlimited' : `${QPS}/s`}; starting roles…`);
  const roles: Role[] = [await startRole('apiserver', 'services/apiserver/main.js', env)];
  const perKubelet = Math.ceil(NODES / KUBELETS);
  roles.push(
    ...(await Promise.all([
      startRole('controller-manager', 'workers/controller-manager/main.js', { ...env, KUBEQ_KUBE_API_QPS: QPS, KUBEQ_KUBE_API_BURST: QPS === '0' ? '1' : QPS }),
      startRole('scheduler', 'workers/scheduler/main.js', env),
      ...Array.from({ length: KUBELETS }, (_, k) =>
        startRole(`kubelet-${k}`, 'workers/kubelet/main.js', { ...env, KUBEQ_NODES: String(Math.min(perKubelet, NODES - k * perKubelet)), KUBEQ_NODE_PREFIX: `node-${k}`, KUBEQ_NODE_INDEX: String(k * perKubelet), KUBEQ_INSTANCE: `kubelet-${k}` }),
      ),
    ])),
  );
  const url = `https://127.0.0.1:${port}`;
  const ca = readFileSync(join(home, 'pki', 'ca.crt'), 'utf8');
  const before = await commandsProcessed(redis);
  const [cpuBefore, statsBefore] = [await redisCpuSeconds(redis), await commandStats(redis)];
  const bar = new SingleBar({ format: 'pods Ready |{bar}| {value}/{total} {duration}s', hideCursor: true }, Presets.shades_classic);
  const listed = (await call(`${url}/api/v1/namespaces/default/pods?limit=1`, ca, 'bench', 'GET')).body;
  const start = Date.now();
  const seen = new Map<string, Seen>();
  let readyCount = 0;
  let allReady: () => void = () => undefined;
  const done = new Promise<void>((resolvePromise) => (allReady = resolvePromise));
  const stopWatch = watchPods(url, ca, 'bench', listed.metadata.resourceVersion, start, seen, () => {
    readyCount = [...seen.values()].filter((s) => s.ready !== undefined).length;
    bar.update(readyCount);
    if (readyCount >= PODS) allReady();
  });
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
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([done, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`only ${readyCount} of ${PODS} pods Ready after 10 minutes`)), 600_000)))]);
  clearTimeout(timer);
  stopWatch();
  bar.stop();
  const seconds = (Date.now() - start) / 1000;
  const after = await commandsProcessed(redis);
  const redisCpu = (await redisCpuSeconds(redis)) - cpuBefore;
  const statsAfter = await commandStats(redis);
  const topCommands = [...statsAfter]
    .map(([name, s]) => ({ name, calls: s.calls - (statsBefore.get(name)?.calls ?? 0), seconds: (s.usec - (statsBefore.get(name)?.usec ?? 0)) / 1e6 }))
    .sort((a, b) => b.seconds - a.seconds)
    .slice(0, 8);
  const times = [...seen.values()].filter((s) => s.ready !== undefined);
  const stage = (from: (s: Seen) => number | undefined, to: (s: Seen) => number | undefined) => summarize(times.map((s) => ((to(s) ?? 0) - (from(s) ?? 0)) / 1000));
  const startup = times.map((s) => (s.ready! - s.created) / 1000);
  const perRole = Object.fromEntries(roles.map((r) => [r.name, usage(r.child.pid!)]));
  const result = {
    bench: 'workload',
    nodes: NODES,
    pods: PODS,
    deployments: DEPLOYMENTS,
    tracing: TRACING,
    controllerManagerQps: Number(QPS),
    secondsToAllReady: Math.round(seconds * 10) / 10,
    podsPerSecond: Math.round(PODS / seconds),
    startupSeconds: summarize(startup),
    /** Where the startup time goes, as the watch saw it. */
    stagesSeconds: {
      createdToScheduled: stage((s) => s.created, (s) => s.scheduled),
      scheduledToRunning: stage((s) => s.scheduled, (s) => s.running),
      runningToReady: stage((s) => s.running, (s) => s.ready),
      lastCreated: Math.round(Math.max(...times.map((s) => s.created))) / 1000,
    },
    apiCreateMs: summarize(apiLatencies),
    redisCommandsPerPod: Math.round((after - before) / PODS),
    roles: perRole,
    redis: { cpuSeconds: Math.round(redisCpu * 100) / 100, topCommands: topCommands.map((c) => ({ ...c, seconds: Math.round(c.seconds * 100) / 100 })) },
  };
  console.log(`\nall ${PODS} pods Ready in ${result.secondsToAllReady} s (${result.podsPerSecond} pods/s); startup p50 ${result.startupSeconds.p50} s, p90 ${result.startupSeconds.p90} s, p99 ${result.startupSeconds.p99} s`);
  const st = result.stagesSeconds;
  console.log(`stages p50/p99: created→scheduled ${st.createdToScheduled.p50}/${st.createdToScheduled.p99} s, scheduled→Running ${st.scheduledToRunning.p50}/${st.scheduledToRunning.p99} s, Running→Ready ${st.runningToReady.p50}/${st.runningToReady.p99} s; last pod created at ${st.lastCreated} s`);
  console.log(`Redis commands per pod: ${result.redisCommandsPerPod}`);
  console.log('role                 cpu s   rss MiB');
  for (const [name, u] of Object.entries(perRole)) console.log(`${name.padEnd(20)} ${String(u.cpuSeconds).padStart(6)}  ${String(u.rssMiB).padStart(8)}`);
  console.log(`${'redis-server'.padEnd(20)} ${String(result.redis.cpuSeconds).padStart(6)}`);
  console.log(`Redis time by command: ${result.redis.topCommands.map((c) => `${c.name} ${c.seconds} s/${c.calls}`).join(', ')}`);
  console.log(JSON.stringify(result));
  // SIGTERM when profiling: a role writes its profile as it exits.
  await Promise.all(roles.map((r) => new Promise((done) => {
    r.child.removeAllListeners('exit');
    r.child.once('exit', done);
    r.child.kill(CPU_PROF ? 'SIGTERM' : 'SIGKILL');
  })));
  redis.disconnect();
  redisHandle.stop();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
