import { NodeInfo } from '../../framework/node-info';
import { makeNode, makePod } from '../../testing';
import { NAME, nodeUnschedulable } from './index';

// Kubernetes' TestNodeUnschedulable cases.
describe(`${NAME} Filter`, () => {
  const cases: { name: string; unschedulable: boolean; tolerations?: unknown[]; want: { code: string; reasons: string[] } }[] = [
    { name: 'schedulable node', unschedulable: false, want: { code: 'Success', reasons: [] } },
    { name: 'cordoned node', unschedulable: true, want: { code: 'UnschedulableAndUnresolvable', reasons: ['node(s) were unschedulable'] } },
    {
      name: 'cordoned node, pod tolerates the unschedulable taint',
      unschedulable: true,
      tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }],
      want: { code: 'Success', reasons: [] },
    },
    { name: 'cordoned node, pod tolerates everything', unschedulable: true, tolerations: [{ operator: 'Exists' }], want: { code: 'Success', reasons: [] } },
    {
      name: 'cordoned node, toleration for another effect does not help',
      unschedulable: true,
      tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoExecute' }],
      want: { code: 'UnschedulableAndUnresolvable', reasons: ['node(s) were unschedulable'] },
    },
  ];
  it.each(cases)('$name', ({ unschedulable, tolerations, want }) => {
    const pod = makePod({ spec: tolerations ? { tolerations } : {} });
    const status = nodeUnschedulable.filter!(new Map(), pod, new NodeInfo(makeNode('n', { unschedulable })));
    expect({ code: status.code, reasons: status.reasons }).toEqual(want);
  });
});
