import type { KubeObject } from '../../shared/api/types';
import type { InformerEvent } from '../../shared/informer/events';
import { Cache } from '../../shared/informer/indexer';
import { schedulerKeys } from './events';
import { makeNode, makePod } from '../../shared/scheduling/testing';

const pending = makePod({ name: 'pending' });
const bound = makePod({ name: 'bound', nodeName: 'n1' });
const cache = new Cache();
cache.set('pods/default/pending', pending);
cache.set('pods/default/bound', bound);
const keys = schedulerKeys(cache);

function event(type: InformerEvent['type'], object: KubeObject, oldObject?: KubeObject): InformerEvent {
  const resource = object.kind === 'Node' ? 'nodes' : 'pods';
  const key = resource === 'nodes' ? `nodes/${object.metadata.name}` : `pods/default/${object.metadata.name}`;
  return { type, resource, key, object, oldObject, revision: 1, traceparent: '', origin: 'watch' };
}

const withStatus = (pod: KubeObject, status: Record<string, unknown>) => ({ ...pod, status: { ...pod.status, ...status } });
const node = makeNode('n1', { allocatable: { cpu: '1' } });

describe('schedulerKeys', () => {
  const cases: { name: string; event: InformerEvent; want: string[] }[] = [
    { name: 'a new pending pod', event: event('ADDED', pending), want: ['pods/default/pending'] },
    { name: 'a new bound pod', event: event('ADDED', bound), want: [] },
    { name: 'a status-only update of a pending pod (our own condition)', event: event('MODIFIED', withStatus(pending, { conditions: [{ type: 'PodScheduled', status: 'False' }] }), pending), want: [] },
    { name: 'a pending pod whose labels changed', event: event('MODIFIED', { ...pending, metadata: { ...pending.metadata, labels: { a: 'b' } } }, pending), want: ['pods/default/pending'] },
    { name: 'a bound pod deleted frees room', event: event('DELETED', bound), want: ['pods/default/pending'] },
    { name: 'a bound pod finished frees room', event: event('MODIFIED', withStatus(bound, { phase: 'Succeeded' }), bound), want: ['pods/default/pending'] },
    { name: 'a pending pod deleted', event: event('DELETED', pending), want: [] },
    { name: 'a new node', event: event('ADDED', node), want: ['pods/default/pending'] },
    { name: 'a node heartbeat', event: event('MODIFIED', withStatus(node, { conditions: [{ type: 'Ready', status: 'True' }] }), node), want: [] },
    { name: 'a node uncordoned', event: event('MODIFIED', node, { ...node, spec: { unschedulable: true } }), want: ['pods/default/pending'] },
    { name: 'a node deleted', event: event('DELETED', node), want: [] },
  ];
  it.each(cases)('$name', ({ event: e, want }) => {
    expect(keys(e) ?? []).toEqual(want);
  });
});
