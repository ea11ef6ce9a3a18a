import type { KubeObject } from '../../api/types';
import type { InformerEvent } from '../../informer/events';
import { makeNode, makePod } from '../testing';
import { SchedulerCache } from './cache';

const event = (type: InformerEvent['type'], object: KubeObject, origin: InformerEvent['origin'] = 'watch'): InformerEvent => {
  const resource = object.kind === 'Node' ? 'nodes' : 'pods';
  const key = resource === 'nodes' ? `nodes/${object.metadata.name}` : `pods/${object.metadata.namespace}/${object.metadata.name}`;
  return { type, resource, key, object, revision: 1, traceparent: '', origin };
};
const node = (name: string) => makeNode(name, { allocatable: { cpu: '4', memory: '8Gi', pods: '110' } });
const pod = (name: string, nodeName?: string, cpu = '1') => makePod({ name, nodeName, requests: [{ cpu }] });
const view = (cache: SchedulerCache) => Object.fromEntries(cache.nodeInfos().map((i) => [i.name, { pods: i.pods.map((p) => p.metadata.name), cpu: i.requested.cpu ?? 0 }]));

test('follows informer events: bound pods count on their node, finished and deleted ones stop counting', () => {
  const cache = new SchedulerCache();
  cache.apply(event('ADDED', node('a'), 'list'));
  cache.apply(event('ADDED', node('b'), 'list'));
  cache.apply(event('ADDED', pod('p1', 'a'), 'list'));
  cache.apply(event('ADDED', pod('pending')));
  cache.apply(event('ADDED', pod('p2', 'b', '500m')));
  expect(view(cache)).toEqual({ a: { pods: ['p1'], cpu: 1000 }, b: { pods: ['p2'], cpu: 500 } });
  cache.apply(event('MODIFIED', makePod({ name: 'p1', nodeName: 'a', phase: 'Succeeded', requests: [{ cpu: '1' }] })));
  cache.apply(event('DELETED', pod('p2', 'b', '500m')));
  expect(view(cache)).toEqual({ a: { pods: [], cpu: 0 }, b: { pods: [], cpu: 0 } });
});

test('replayed events (possibly older than the cache) are skipped', () => {
  const cache = new SchedulerCache();
  cache.apply(event('ADDED', node('a')));
  cache.apply(event('ADDED', pod('p', 'a'), 'replay'));
  expect(view(cache).a.pods).toEqual([]);
});

test('an assumed pod counts until the informer shows it bound, and its unbound updates keep it', () => {
  const cache = new SchedulerCache();
  cache.apply(event('ADDED', node('a')));
  cache.apply(event('ADDED', pod('p')));
  const assumed = pod('p', 'a');
  cache.assume('pods/default/p', assumed);
  expect(view(cache).a).toEqual({ pods: ['p'], cpu: 1000 });
  cache.apply(event('MODIFIED', { ...pod('p'), metadata: { ...pod('p').metadata, labels: { late: 'label' } } }));
  expect(view(cache).a.pods).toEqual(['p']);
  const bound = pod('p', 'a');
  cache.apply(event('MODIFIED', bound));
  expect(cache.counted('pods/default/p')).toBe(bound);
  // Too late to forget: the binding landed.
  cache.forget('pods/default/p', assumed);
  expect(view(cache).a).toEqual({ pods: ['p'], cpu: 1000 });
});

test('a failed binding is forgotten', () => {
  const cache = new SchedulerCache();
  cache.apply(event('ADDED', node('a')));
  const assumed = pod('p', 'a');
  cache.assume('pods/default/p', assumed);
  cache.forget('pods/default/p', assumed);
  expect(view(cache).a).toEqual({ pods: [], cpu: 0 });
});

test('a deleted node leaves scheduling, and comes back with the pods still counted on it', () => {
  const cache = new SchedulerCache();
  cache.apply(event('ADDED', node('a')));
  cache.apply(event('ADDED', pod('p', 'a')));
  cache.apply(event('DELETED', node('a')));
  expect(view(cache)).toEqual({});
  cache.apply(event('ADDED', node('a')));
  expect(view(cache).a.pods).toEqual(['p']);
});

test('fromIndexer: what the informer cache holds now', () => {
  const objects = new Map<string, KubeObject>([['nodes/a', node('a')], ['pods/default/p', pod('p', 'a')]]);
  const indexer = { list: (resource: string) => [...objects].filter(([k]) => k.startsWith(`${resource}/`)).map(([, o]) => o) } as never;
  expect(view(SchedulerCache.fromIndexer(indexer))).toEqual({ a: { pods: ['p'], cpu: 1000 } });
});
