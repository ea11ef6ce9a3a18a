import type { KubeObject } from '../api/types';
import { byResource, controllerKey, fromHandlers, generationChangedKey, ownKey, type InformerEvent } from './events';

const obj = (name: string, owner?: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'ns', ownerReferences: owner ? [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: owner, uid: 'u', controller: true }] : undefined },
});
const event = (type: InformerEvent['type'], resource = 'pods', object = obj('p', 'rs')): InformerEvent => ({
  type,
  resource,
  key: `${resource}/ns/${object.metadata.name}`,
  object,
  oldObject: type === 'MODIFIED' ? obj('old') : undefined,
  revision: 7,
  traceparent: '',
  origin: 'watch',
});

test.each([
  ['ADDED', ['add p']],
  ['MODIFIED', ['update old->p']],
  ['DELETED', ['delete p']],
] as const)('fromHandlers routes %s', (type, keys) => {
  const mapper = fromHandlers({
    onAdd: (o) => [`add ${o.metadata.name}`],
    onUpdate: (old, o) => [`update ${old?.metadata.name}->${o.metadata.name}`],
    onDelete: (o) => [`delete ${o.metadata.name}`],
  });
  expect(mapper(event(type))).toEqual(keys);
});

test('byResource dispatches by resource; unknown resources map to nothing', () => {
  const mapper = byResource({ pods: (e) => [controllerKey(e.object, 'replicasets', 'ReplicaSet')!], replicasets: ownKey, nodes: { onDelete: () => ['gone'] } });
  expect(mapper(event('ADDED'))).toEqual(['replicasets/ns/rs']);
  expect(mapper(event('ADDED', 'replicasets', obj('rs')))).toEqual(['replicasets/ns/rs']);
  expect(mapper(event('ADDED', 'nodes'))).toBeUndefined();
  expect(mapper(event('DELETED', 'nodes'))).toEqual(['gone']);
  expect(mapper(event('ADDED', 'services'))).toBeUndefined();
});

test('controllerKey wants a controller owner of the kind', () => {
  expect(controllerKey(obj('p', 'rs'), 'replicasets', 'ReplicaSet')).toBe('replicasets/ns/rs');
  expect(controllerKey(obj('p', 'rs'), 'deployments', 'Deployment')).toBeUndefined();
  expect(controllerKey(obj('p'), 'replicasets', 'ReplicaSet')).toBeUndefined();
});

test('generationChangedKey: the own key, except for an update that kept the generation (a status write)', () => {
  const at = (generation: number): KubeObject => ({ apiVersion: 'v1', kind: 'X', metadata: { name: 'a', namespace: 'n', generation } });
  const ev = (type: InformerEvent['type'], object: KubeObject, oldObject?: KubeObject): InformerEvent => ({ type, resource: 'loads', key: 'loads/n/a', object, ...(oldObject ? { oldObject } : {}), revision: 1, traceparent: '', origin: 'watch' });
  expect(generationChangedKey(ev('ADDED', at(1)))).toEqual(['loads/n/a']);
  expect(generationChangedKey(ev('MODIFIED', at(2), at(1)))).toEqual(['loads/n/a']);
  expect(generationChangedKey(ev('MODIFIED', at(2), at(2)))).toEqual([]);
  expect(generationChangedKey(ev('MODIFIED', at(2)))).toEqual(['loads/n/a']);
  expect(generationChangedKey(ev('DELETED', at(2), at(2)))).toEqual(['loads/n/a']);
});
