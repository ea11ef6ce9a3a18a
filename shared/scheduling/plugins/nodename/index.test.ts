import { NodeInfo } from '../../framework/node-info';
import { makeNode, makePod } from '../../testing';
import { NAME, nodeName } from './index';

// Kubernetes' TestNodeName cases.
describe(`${NAME} Filter`, () => {
  const cases = [
    { name: 'no host specified', podNode: undefined, want: 'Success' },
    { name: 'host matches', podNode: 'foo', want: 'Success' },
    { name: 'host does not match', podNode: 'bar', want: 'UnschedulableAndUnresolvable' },
  ];
  it.each(cases)('$name', ({ podNode, want }) => {
    const status = nodeName.filter!(new Map(), makePod({ spec: podNode ? { nodeName: podNode } : {} }), new NodeInfo(makeNode('foo')));
    expect(status.code).toBe(want);
    if (want !== 'Success') expect(status.reasons).toEqual(["node(s) didn't match the requested node name"]);
  });
});
