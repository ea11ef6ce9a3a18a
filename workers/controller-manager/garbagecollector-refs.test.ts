import { objectKey, type KubeObject } from '../../shared/api/types';
import type { InformerEvent } from '../../shared/informer/events';
import { Cache } from '../../shared/informer/indexer';
import { garbageCollectorHandler, garbageCollectorIndexers, garbageCollectorKeys } from './garbagecollector-refs';

const RESOURCE: Record<string, string> = { Deployment: 'deployments', ReplicaSet: 'replicasets', Pod: 'pods' };
const ref = (kind: string, name: string, uid: string) => ({ apiVersion: kind === 'Pod' ? 'v1' : 'apps/v1', kind, name, uid, controller: true, blockOwnerDeletion: true });

function obj(kind: string, name: string, uid: string, meta: Partial<KubeObject['metadata']> = {}, status?: unknown): KubeObject {
  return { apiVersion: kind === 'Pod' ? 'v1' : 'apps/v1', kind, metadata: { name, namespace: 'default', uid, ...meta }, spec: {}, ...(status ? { status } : {}) };
}
const keyOf = (o: KubeObject) => objectKey(RESOURCE[o.kind], 'default', o.metadata.name!);

const deployment = obj('Deployment', 'web', 'd1');
const rs = obj('ReplicaSet', 'web-1', 'r1', { ownerReferences: [ref('Deployment', 'web', 'd1')] });
const pod = obj('Pod', 'a', 'p1', { ownerReferences: [ref('ReplicaSet', 'web-1', 'r1')] }, { phase: 'Pending' });
const deletingRs = obj('ReplicaSet', 'old', 'r0', { deletionTimestamp: '2026-01-01T00:00:00Z', finalizers: ['foregroundDeletion'] });
const podOfDeleting = obj('Pod', 'b', 'p2', { ownerReferences: [ref('ReplicaSet', 'old', 'r0')] });

/** The informer's cache as it stands after each event below (the informer applies an event, then maps it). */
function cacheOf(...objects: KubeObject[]): Cache {
  const cache = new Cache(garbageCollectorIndexers);
  for (const o of objects) cache.set(keyOf(o), o);
  return cache;
}
const live = cacheOf(deployment, rs, pod, deletingRs, podOfDeleting);

function event(type: InformerEvent['type'], object: KubeObject, oldObject?: KubeObject, origin: InformerEvent['origin'] = 'watch'): InformerEvent {
  return { type, resource: RESOURCE[object.kind], key: keyOf(object), object, oldObject, revision: 1, traceparent: '', origin };
}
const withMeta = (o: KubeObject, meta: Partial<KubeObject['metadata']>): KubeObject => ({ ...o, metadata: { ...o.metadata, ...meta } });

test.each<[string, Cache, InformerEvent, string[]]>([
  // nothing the graph cares about
  ['a pod status update', live, event('MODIFIED', { ...pod, status: { phase: 'Running' } }, pod), []],
  ['a ReplicaSet status update', live, event('MODIFIED', { ...rs, status: { replicas: 3 } }, rs), []],
  ['a Deployment scaled (spec only)', live, event('MODIFIED', { ...deployment, spec: { replicas: 5 } }, deployment), []],
  ['a pod relabelled', live, event('MODIFIED', withMeta(pod, { labels: { app: 'x' } }), pod), []],
  ['a terminating pod writing status', live, event('MODIFIED', { ...withMeta(pod, { deletionTimestamp: 't' }), status: { phase: 'Running' } }, withMeta(pod, { deletionTimestamp: 't' })), []],
  ['a pod created under a live owner', live, event('ADDED', pod), []],
  ['a pod without owners created', live, event('ADDED', obj('Pod', 'bare', 'p9')), []],
  ['a pod deleted: no dependents, its owner not waiting', cacheOf(deployment, rs), event('DELETED', pod), []],
  // the graph's changes
  ['ownerReferences changed: itself and old and new owners', live, event('MODIFIED', withMeta(pod, { ownerReferences: [ref('ReplicaSet', 'other', 'r2')] }), pod), ['pods/default/a', 'replicasets/default/other', 'replicasets/default/web-1']],
  ['released by its owner', live, event('MODIFIED', withMeta(pod, { ownerReferences: undefined }), pod), ['pods/default/a', 'replicasets/default/web-1']],
  ['starts being deleted', live, event('MODIFIED', withMeta(rs, { deletionTimestamp: 't', finalizers: ['orphan'] }), rs), ['replicasets/default/web-1']],
  ['a finalizer added while being deleted', live, event('MODIFIED', withMeta(deletingRs, { finalizers: ['foregroundDeletion', 'orphan'] }), deletingRs), ['replicasets/default/old']],
  ['created under an owner the cache does not hold', live, event('ADDED', withMeta(pod, { ownerReferences: [ref('ReplicaSet', 'ghost', 'r8')] })), ['pods/default/a']],
  ['created under a same-named owner with another uid', live, event('ADDED', withMeta(pod, { ownerReferences: [ref('ReplicaSet', 'web-1', 'r-old')] })), ['pods/default/a']],
  ['created under an owner being deleted', live, event('ADDED', podOfDeleting), ['pods/default/b']],
  ['an owner with dependents deleted', cacheOf(deployment, pod), event('DELETED', rs), ['replicasets/default/web-1']],
  ['a dependent of a foreground deletion deleted: its owner', cacheOf(deletingRs), event('DELETED', podOfDeleting), ['replicasets/default/old']],
  ['a replayed change (nothing to diff): itself and its owners', live, event('MODIFIED', pod, undefined, 'replay'), ['pods/default/a', 'replicasets/default/web-1']],
])('%s', (_name, cache, e, want) => {
  expect([...(garbageCollectorHandler(() => cache)(e) ?? [])].sort()).toEqual(want);
});

test('before the cache exists (the initial list), every doubt enqueues', () => {
  expect(garbageCollectorKeys(event('ADDED', pod, undefined, 'list'))).toEqual(['pods/default/a']);
  expect(garbageCollectorKeys(event('ADDED', deployment, undefined, 'list'))).toEqual([]);
  expect(garbageCollectorKeys(event('DELETED', pod, undefined, 'resync'))).toEqual(['pods/default/a', 'replicasets/default/web-1']);
  expect(garbageCollectorKeys(event('MODIFIED', { ...pod, status: { phase: 'Running' } }, pod))).toEqual([]);
});
