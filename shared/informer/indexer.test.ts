import type { KubeObject } from '../api/types';
import { Cache } from './indexer';
import { NAMESPACE_INDEX, NODE_NAME_INDEX, OWNER_INDEX, UID_INDEX } from './indexers';

const pod = (name: string, ns: string, nodeName?: string, owner?: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: ns, uid: `uid-${name}`, resourceVersion: '1', ownerReferences: owner ? [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: owner, uid: `uid-${owner}` }] : undefined },
  spec: { nodeName },
});
const node = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name, uid: `uid-${name}` }, spec: {} });

function filled(): Cache {
  const c = new Cache();
  c.set('pods/a/p1', pod('p1', 'a', 'n1', 'rs'));
  c.set('pods/a/p2', pod('p2', 'a', 'n2', 'rs'));
  c.set('pods/b/p3', pod('p3', 'b'));
  c.set('nodes/n1', node('n1'));
  return c;
}

test.each([
  [NAMESPACE_INDEX, 'a', undefined, ['pods/a/p1', 'pods/a/p2']],
  [NAMESPACE_INDEX, 'b', 'pods', ['pods/b/p3']],
  [NAMESPACE_INDEX, 'b', 'nodes', []],
  [NODE_NAME_INDEX, 'n1', undefined, ['pods/a/p1']],
  [NODE_NAME_INDEX, '', undefined, []],
  [OWNER_INDEX, 'uid-rs', undefined, ['pods/a/p1', 'pods/a/p2']],
  [UID_INDEX, 'uid-n1', undefined, ['nodes/n1']],
])('index %s = %j (resource %s)', (name, value, resource, keys) => {
  expect(filled().indexKeys(name, value, resource).sort()).toEqual(keys);
});

test('set, delete and replace keep indexes equal to the objects', () => {
  const c = filled();
  c.set('pods/a/p1', pod('p1', 'a', 'n2'));
  expect(c.indexKeys(NODE_NAME_INDEX, 'n1')).toEqual([]);
  expect(c.indexKeys(NODE_NAME_INDEX, 'n2').sort()).toEqual(['pods/a/p1', 'pods/a/p2']);
  expect(c.indexKeys(OWNER_INDEX, 'uid-rs')).toEqual(['pods/a/p2']);
  expect(c.delete('pods/a/p2')?.metadata.name).toBe('p2');
  expect(c.delete('pods/a/p2')).toBeUndefined();
  expect(c.indexKeys(OWNER_INDEX, 'uid-rs')).toEqual([]);
  expect(c.size).toBe(3);

  const changes = c.replace('pods', new Map([['pods/a/p1', pod('p1', 'a')], ['pods/c/p9', pod('p9', 'c')]]));
  expect(changes.map((ch) => `${ch.type} ${ch.key}`).sort()).toEqual(['ADDED pods/c/p9', 'DELETED pods/b/p3', 'MODIFIED pods/a/p1']);
  expect(changes.find((ch) => ch.type === 'MODIFIED')?.oldObject?.spec.nodeName).toBe('n2');
  expect(c.listKeys('pods').sort()).toEqual(['pods/a/p1', 'pods/c/p9']);
  expect(c.listKeys().sort()).toEqual(['nodes/n1', 'pods/a/p1', 'pods/c/p9']);
  expect(c.indexKeys(NODE_NAME_INDEX, 'n2')).toEqual([]);
  expect(c.list('nodes').map((n) => n.metadata.name)).toEqual(['n1']);
});

test('indexers added later index what is cached; names are unique', () => {
  const c = filled();
  c.addIndexers({ ns_node: (o, key) => (key.startsWith('pods/') && o.spec?.nodeName ? [`${o.metadata.namespace}/${o.spec.nodeName}`] : []) });
  expect(c.byIndex('ns_node', 'a/n2').map((o) => o.metadata.name)).toEqual(['p2']);
  expect(() => c.addIndexers({ [NAMESPACE_INDEX]: () => [] })).toThrow(/already exists/);
  expect(() => c.byIndex('missing', 'x')).toThrow(/does not exist/);
});
