import type { ChangeEvent } from '../../shared/store/changelog';
import { followChanges, type ChangeFollower } from '../helpers/changes';
import { eventually } from '../helpers/eventually';
import { startRedis, type TestRedis } from '../helpers/redis';
import { startApiServer, startRole, type ApiServerProcess, type RoleProcess } from '../helpers/processes';
import { rollout, type Rollout } from '../helpers/rollout';

/**
 * Crash safety of the scheduler with real processes: two schedulers, one leading on the Lease
 * kube-system/kube-scheduler and one standing by. kill -9 the leader while a 50-pod Deployment is
 * being scheduled, and again in the middle of its rollout: each time the standby takes over and a
 * new process (as a supervisor would start) stands by in its place. The Deployment completes with
 * exactly 50 pods, all bound; a watcher on the change log sees no pod bound twice or moved.
 */
const PREFIX = '{e2e-crash-sched}';
const SCHEDULER = 'workers/scheduler/main.js';
const LEADING = /scheduler: ready \(leading as ([^;]+);/;
let redis: TestRedis;
let api: ApiServerProcess;
let big: Rollout;
let watcher: ChangeFollower;
const env = () => ({ REDIS_URL: redis.url, KUBEQ_REDIS_PREFIX: PREFIX, KUBEQ_TIME_SCALE: '10' });
const others: RoleProcess[] = [];
const schedulers: RoleProcess[] = [];
/** Pod uid → the node it was bound to, as first seen by the watcher. */
const boundTo = new Map<string, string>();
/** Pod uid → Scheduled events recorded for it. */
const scheduledEvents = new Map<string, number>();

function watch(change: ChangeEvent): void {
  const obj = change.object;
  if (change.key.startsWith('pods/') && change.type !== 'DELETED' && obj.spec?.nodeName) {
    const uid = obj.metadata.uid!;
    const first = boundTo.get(uid);
    if (first && first !== obj.spec.nodeName) throw new Error(`pod ${obj.metadata.name} moved from ${first} to ${obj.spec.nodeName} at revision ${change.revision}`);
    boundTo.set(uid, obj.spec.nodeName);
  }
  if (change.key.startsWith('events/') && change.type === 'ADDED' && obj.reason === 'Scheduled') {
    scheduledEvents.set(obj.involvedObject.uid, (scheduledEvents.get(obj.involvedObject.uid) ?? 0) + 1);
  }
}

const alive = () => schedulers.filter((s) => s.child.exitCode === null && s.child.signalCode === null);
const leaderOf = () => alive().find((s) => LEADING.test(s.output()));
const schedulerLogs = () => schedulers.map((s, i) => `scheduler ${i}: ${s.output().slice(-1000)}`).join('\n');

beforeAll(async () => {
  redis = await startRedis();
  api = await startApiServer(redis.url, PREFIX);
  big = rollout(api);
  watcher = await followChanges(redis.url, PREFIX, watch);
  others.push(startRole('workers/controller-manager/main.js', env()), startRole('workers/kubelet/main.js', { ...env(), KUBEQ_NODES: '5', KUBEQ_NODE_PREFIX: 'node' }));
  schedulers.push(startRole(SCHEDULER, env()));
  await Promise.all([others[0].waitFor(/controller-manager: ready/), others[1].waitFor(/kubelet: ready/), schedulers[0].waitFor(LEADING)]);
  schedulers.push(startRole(SCHEDULER, env()));
  await schedulers[1].waitFor(/scheduler: standing by; lease kube-system\/kube-scheduler is held by /);
}, 60_000);
afterAll(async () => {
  await watcher?.stop().catch(() => undefined);
  await Promise.all([...schedulers, ...others].map((r) => r.stop()));
  await api?.stop();
  await redis?.stop();
});

/** kill -9 the leader; waits for the standby to lead, then starts a new standby. Answers the new leader's identity. */
async function killLeader(): Promise<string> {
  const leader = leaderOf()!;
  await leader.stop('SIGKILL');
  const standby = alive()[0];
  const line = await standby.waitFor(LEADING, 30_000);
  schedulers.push(startRole(SCHEDULER, env()));
  await schedulers[schedulers.length - 1].waitFor(/scheduler: standing by; /);
  return LEADING.exec(line)![1];
}

const bound = async () => (await big.live()).filter((p) => p.spec.nodeName).length;

test('kill -9 the leading scheduler mid-creation and mid-rollout: a standby takes over and all 50 pods are bound once', async () => {
  await big.create('app:1');
  await eventually(async () => ((await bound()) >= 10 ? true : undefined), 'the first bindings', 20_000, 20);
  await killLeader();
  await big.settled('app:1', schedulerLogs, 90_000);

  await big.setImage('app:2');
  await eventually(async () => ((await big.live()).some((p) => p.spec.containers[0].image === 'app:2') ? true : undefined), 'the rollout to start', 20_000, 20);
  const last = await killLeader();
  await big.settled('app:2', schedulerLogs, 90_000);

  const pods = await big.expectRolledOut('app:2');
  await watcher.stop();
  for (const p of pods) {
    expect(p.spec.nodeName).toMatch(/^node-[0-4]$/);
    expect(boundTo.get(p.metadata.uid)).toBe(p.spec.nodeName);
    expect(p.status.conditions).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'PodScheduled', status: 'True' })]));
  }
  // Each binding is written once, so recorded once at most; a leader killed between its bindings
  // and their events (up to its reconciles in flight) loses those events: they are best effort.
  expect(Math.max(...scheduledEvents.values())).toBe(1);
  const lease = (await api.call('GET', '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-scheduler')).body;
  expect(lease.spec).toMatchObject({ holderIdentity: last, leaseTransitions: 2 });
}, 240_000);
