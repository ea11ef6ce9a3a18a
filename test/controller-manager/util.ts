import { lookupResourceByName } from '../../shared/api/registry';
import { objectKey, type KubeObject } from '../../shared/api/types';
import type { Clock } from '../../shared/clock';
import { Cache } from '../../shared/informer/indexer';
import type { IndexFunc } from '../../shared/informer/indexers';
import { Store } from '../../shared/store/store';
import type { Controller } from '../../shared/queue/controller';
import { startRedis, type TestRedis } from '../helpers/redis';

let run = 0;

/** A store with the real kinds under a prefix of its own, and a clock the test moves (or a scaled real one). */
export function newStore(redis: TestRedis, clock: Pick<Clock, 'now'>): Store {
  return new Store(redis.client(), { prefix: `{cm-${process.pid}-${++run}}`, resources: lookupResourceByName, now: () => clock.now() });
}

/** What `useStore` gives a test file: its redis-server, and per test a fresh store, clock and list of controllers to stop. */
export interface StoreFixture {
  redis: TestRedis;
  store: Store;
  clock: TestClock;
  /** Controllers the test started: stopped after it. */
  controllers: Controller[];
}

/**
 * Registers the hooks most tests here share: a private redis-server for the file; for each test a
 * store under a prefix of its own on a test clock, and afterwards its controllers stopped.
 */
export function useStore(): StoreFixture {
  const fx = { controllers: [] as Controller[] } as StoreFixture;
  beforeAll(async () => {
    fx.redis = await startRedis();
  });
  afterAll(() => fx.redis.stop());
  beforeEach(() => {
    fx.clock = testClock();
    fx.store = newStore(fx.redis, fx.clock);
  });
  afterEach(async () => {
    await Promise.all(fx.controllers.splice(0).map((c) => c.stop()));
  });
  return fx;
}

export interface TestClock extends Clock {
  advance(ms: number): void;
}

export function testClock(start = '2026-01-01T00:00:00Z'): TestClock {
  let t = new Date(start).getTime();
  return {
    now: () => new Date(t),
    scaled: (ms) => ms,
    sleep: async () => undefined,
    advance: (ms) => void (t += ms),
  };
}

/** A cache holding what the store holds now, as a synced informer would. */
export async function snapshot(store: Store, resources: string[], indexers: Record<string, IndexFunc> = {}): Promise<Cache> {
  const cache = new Cache(indexers);
  for (const resource of resources) {
    for (const o of (await store.list(resource)).items) cache.set(objectKey(resource, o.metadata.namespace, o.metadata.name!), o);
  }
  return cache;
}

export function replicaSet(name: string, replicas: number, extra: { minReadySeconds?: number; labels?: Record<string, string> } = {}): KubeObject {
  const labels = extra.labels ?? { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      minReadySeconds: extra.minReadySeconds,
      selector: { matchLabels: labels },
      template: { metadata: { labels: { ...labels, tier: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
    },
  };
}

export function pod(name: string, labels: Record<string, string>, extra: Partial<KubeObject['metadata']> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels, ...extra }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
}

export async function podsOf(store: Store, ns = 'default'): Promise<KubeObject[]> {
  return (await store.list('pods', { namespace: ns })).items;
}

/** Writes a pod's status (phase, Ready since `readySince`, restarts) as a kubelet would. */
export async function setPodStatus(store: Store, name: string, s: { phase?: string; readySince?: string; restarts?: number }): Promise<KubeObject> {
  return store.guaranteedUpdate('pods', 'default', name, (p) => {
    p.status = {
      phase: s.phase ?? 'Running',
      conditions: s.readySince ? [{ type: 'Ready', status: 'True', lastTransitionTime: s.readySince }] : [{ type: 'Ready', status: 'False' }],
      containerStatuses: [{ name: 'c', restartCount: s.restarts ?? 0, ready: !!s.readySince, image: 'nginx', imageID: '', started: true, state: {}, lastState: {} }],
    };
    return p;
  }, 'status');
}
