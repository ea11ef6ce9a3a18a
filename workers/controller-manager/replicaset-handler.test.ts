import type { KubeObject } from '../../shared/api/types';
import type { InformerEvent } from '../../shared/informer/events';
import { replicaSetKeys } from './replicaset-handler';

const owner = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-abc', uid: 'rs-1', controller: true };
const pod = (status: object = {}, meta: object = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web-abc-1', namespace: 'default', labels: { app: 'web' }, ownerReferences: [owner], ...meta },
  spec: { containers: [] },
  status,
});
const modified = (oldObject: KubeObject, object: KubeObject): InformerEvent => ({ type: 'MODIFIED', resource: 'pods', key: 'pods/default/web-abc-1', object, oldObject, revision: 2, traceparent: '', origin: 'watch' });
const ready = (status: 'True' | 'False', at = '2026-01-01T00:00:00Z') => ({ phase: 'Running', conditions: [{ type: 'Ready', status, lastTransitionTime: at }] });

test.each([
  ['the binding and the kubelet accepting the pod', pod({ phase: 'Pending' }), pod({ phase: 'Pending', hostIP: '172.20.32.10' }), []],
  ['a container restart that keeps readiness', pod(ready('True')), pod({ ...ready('True'), containerStatuses: [{ restartCount: 1 }] }), []],
  ['becoming ready', pod({ phase: 'Pending' }), pod(ready('True')), ['replicasets/default/web-abc']],
  ['losing readiness', pod(ready('True')), pod(ready('False', '2026-01-01T00:01:00Z')), ['replicasets/default/web-abc']],
  ['finishing', pod(ready('True')), pod({ phase: 'Failed' }), ['replicasets/default/web-abc']],
  ['a label change', pod(ready('True')), pod(ready('True'), { labels: { app: 'other' } }), ['replicasets/default/web-abc']],
  ['deletion starting', pod(ready('True')), pod(ready('True'), { deletionTimestamp: '2026-01-01T00:02:00Z' }), ['replicasets/default/web-abc']],
] as [string, KubeObject, KubeObject, string[]][])('a pod update: %s', (_name, before, after, want) => {
  expect(replicaSetKeys()(modified(before, after)) ?? []).toEqual(want);
});
