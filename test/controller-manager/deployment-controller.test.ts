import { Registry } from 'prom-client';
import type { KubeObject } from '../../shared/api/types';
import { startDeploymentController } from '../../workers/controller-manager/deployment-controller';
import { deploymentKeys } from '../../workers/controller-manager/deployment-handler';
import { startReplicaSetController } from '../../workers/controller-manager/replicaset-controller';
import { waitFor } from '../queue/util';
import { podsOf, setPodStatus, snapshot, useStore } from './util';

/** The Deployment and ReplicaSet controllers run in-process, driven by events; the test plays the kubelet (marks pods ready). */
const fx = useStore();

function deployment(replicas: number, strategy: Record<string, unknown> = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } }): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: { replicas, strategy, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } } },
  };
}

async function startBoth(): Promise<void> {
  const tuning = { informer: { blockMs: 50 }, registry: new Registry() };
  fx.controllers.push(await startReplicaSetController({ store: fx.store, clock: fx.clock, concurrency: 4, ...tuning }));
  fx.controllers.push(await startDeploymentController({ store: fx.store, clock: fx.clock, concurrency: 4, ...tuning, registry: new Registry() }));
}

/** The kubelet's part: every live pod that is not ready becomes Running and Ready. */
async function readyAll(): Promise<void> {
  for (const p of await podsOf(fx.store)) {
    if (p.metadata.deletionTimestamp || p.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True')) continue;
    await setPodStatus(fx.store, p.metadata.name!, { readySince: fx.clock.now().toISOString() }).catch(() => undefined);
  }
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  await waitFor(async () => {
    await readyAll();
    return check();
  }, what);
}

const images = async () => (await podsOf(fx.store)).filter((p) => !p.metadata.deletionTimestamp).map((p) => p.spec.containers[0].image).sort();

test('a rollout end to end: pods of the new template replace the old, never more than replicas + maxSurge', async () => {
  await startBoth();
  await fx.store.create('deployments', deployment(3));
  await until(async () => (await fx.store.getOrThrow('deployments', 'default', 'web')).status?.availableReplicas === 3, '3 available');
  expect(await images()).toEqual(['nginx:1', 'nginx:1', 'nginx:1']);
  await fx.store.guaranteedUpdate('deployments', 'default', 'web', (d) => {
    d.spec.template.spec.containers[0].image = 'nginx:2';
    return d;
  });
  let most = 0;
  await until(async () => {
    most = Math.max(most, (await images()).length);
    const d = await fx.store.getOrThrow('deployments', 'default', 'web');
    return d.status?.updatedReplicas === 3 && d.status?.replicas === 3 && d.status?.availableReplicas === 3 && d.status?.observedGeneration === 2;
  }, 'the rollout to complete');
  expect(most).toBeLessThanOrEqual(4);
  expect(await images()).toEqual(['nginx:2', 'nginx:2', 'nginx:2']);
  const d = await fx.store.getOrThrow('deployments', 'default', 'web');
  expect(d.status.conditions.map((c: any) => `${c.type}/${c.reason}`).sort()).toEqual(['Available/MinimumReplicasAvailable', 'Progressing/NewReplicaSetAvailable']);
}, 20_000);

test('Recreate end to end: the new pods come once the old are gone', async () => {
  await startBoth();
  await fx.store.create('deployments', deployment(2, { type: 'Recreate' }));
  await until(async () => (await fx.store.getOrThrow('deployments', 'default', 'web')).status?.availableReplicas === 2, '2 available');
  await fx.store.guaranteedUpdate('deployments', 'default', 'web', (d) => {
    d.spec.template.spec.containers[0].image = 'nginx:2';
    return d;
  });
  await until(async () => (await images()).join() === 'nginx:2,nginx:2', 'new pods only');
}, 20_000);

test('deploymentKeys: a ReplicaSet maps to its Deployment; an orphan to those selecting it; a deleted pod to a Recreate Deployment', async () => {
  const d = await fx.store.create('deployments', deployment(0, { type: 'Recreate' }));
  const rs = await fx.store.create('replicasets', {
    apiVersion: 'apps/v1', kind: 'ReplicaSet',
    metadata: { name: 'web-1', namespace: 'default', labels: { app: 'web' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: d.metadata.uid!, controller: true }] },
    spec: { replicas: 0, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
  });
  const cache = await snapshot(fx.store, ['deployments', 'replicasets', 'pods']);
  const handler = deploymentKeys(() => cache);
  const ev = (resource: string, type: 'ADDED' | 'MODIFIED' | 'DELETED', object: KubeObject) => ({ type, resource, key: `${resource}/default/${object.metadata.name}`, object, revision: 1, traceparent: '', origin: 'watch' as const });
  expect(handler(ev('deployments', 'MODIFIED', d))).toEqual(['deployments/default/web']);
  expect(handler(ev('replicasets', 'MODIFIED', rs))).toEqual(['deployments/default/web']);
  const orphan = { ...rs, metadata: { ...rs.metadata, ownerReferences: undefined } };
  expect(handler(ev('replicasets', 'ADDED', orphan))).toEqual(['deployments/default/web']);
  const p = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: rs.metadata.uid!, controller: true }] } };
  expect(handler(ev('pods', 'DELETED', p))).toEqual(['deployments/default/web']);
  expect(handler(ev('pods', 'MODIFIED', p))).toEqual([]);
});
