import { buildNodeInfos, NodeInfo } from '../../framework/node-info';
import type { NodeScore } from '../../framework/plugin';
import type { Taint, Toleration } from '../../framework/taints';
import { makeNode, makePod } from '../../testing';
import { NAME, taintToleration } from './index';

const podWith = (tolerations: Toleration[]) => makePod({ spec: { tolerations } });

describe(`${NAME} Filter`, () => {
  // Kubernetes' TestTaintTolerationFilter cases (message as of v1.26+).
  const cases: { name: string; tolerations: Toleration[]; taints: Taint[]; want: { code: string; reasons: string[] } }[] = [
    { name: 'no tolerations, node without taints', tolerations: [], taints: [], want: { code: 'Success', reasons: [] } },
    {
      name: 'no tolerations, tainted node',
      tolerations: [],
      taints: [{ key: 'dedicated', value: 'user1', effect: 'NoSchedule' }],
      want: { code: 'UnschedulableAndUnresolvable', reasons: ['node(s) had untolerated taint {dedicated: user1}'] },
    },
    {
      name: 'tolerated by key, value and effect',
      tolerations: [{ key: 'dedicated', value: 'user1', effect: 'NoSchedule' }],
      taints: [{ key: 'dedicated', value: 'user1', effect: 'NoSchedule' }],
      want: { code: 'Success', reasons: [] },
    },
    {
      name: 'toleration value differs',
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'user2', effect: 'NoSchedule' }],
      taints: [{ key: 'dedicated', value: 'user1', effect: 'NoSchedule' }],
      want: { code: 'UnschedulableAndUnresolvable', reasons: ['node(s) had untolerated taint {dedicated: user1}'] },
    },
    {
      name: 'Exists tolerates any value',
      tolerations: [{ key: 'foo', operator: 'Exists', effect: 'NoSchedule' }],
      taints: [{ key: 'foo', value: 'bar', effect: 'NoSchedule' }],
      want: { code: 'Success', reasons: [] },
    },
    {
      name: 'toleration with another effect does not tolerate',
      tolerations: [{ key: 'foo', operator: 'Equal', value: 'bar', effect: 'PreferNoSchedule' }],
      taints: [{ key: 'foo', value: 'bar', effect: 'NoSchedule' }],
      want: { code: 'UnschedulableAndUnresolvable', reasons: ['node(s) had untolerated taint {foo: bar}'] },
    },
    {
      name: 'empty toleration effect tolerates every effect',
      tolerations: [{ key: 'foo', operator: 'Equal', value: 'bar' }],
      taints: [{ key: 'foo', value: 'bar', effect: 'NoSchedule' }],
      want: { code: 'Success', reasons: [] },
    },
    {
      name: 'PreferNoSchedule taints never filter',
      tolerations: [],
      taints: [{ key: 'foo', value: 'bar', effect: 'PreferNoSchedule' }],
      want: { code: 'Success', reasons: [] },
    },
    {
      name: 'NoExecute filters too; the first untolerated taint is reported',
      tolerations: [{ key: 'a', operator: 'Exists' }],
      taints: [
        { key: 'a', value: '1', effect: 'NoExecute' },
        { key: 'b', effect: 'NoExecute' },
        { key: 'c', value: '3', effect: 'NoSchedule' },
      ],
      want: { code: 'UnschedulableAndUnresolvable', reasons: ['node(s) had untolerated taint {b: }'] },
    },
  ];
  it.each(cases)('$name', ({ tolerations, taints, want }) => {
    const status = taintToleration.filter!(new Map(), podWith(tolerations), new NodeInfo(makeNode('n', { taints })));
    expect({ code: status.code, reasons: status.reasons }).toEqual(want);
  });
});

describe(`${NAME} Score + NormalizeScore`, () => {
  // Kubernetes' TestTaintTolerationScore cases.
  const pref = (key: string, value: string): Taint => ({ key, value, effect: 'PreferNoSchedule' });
  const cases: { name: string; tolerations: Toleration[]; nodes: Taint[][]; want: number[] }[] = [
    {
      name: 'node with taints tolerated by the pod gets a higher score than nodes with intolerable taints',
      tolerations: [{ key: 'foo', operator: 'Equal', value: 'bar', effect: 'PreferNoSchedule' }],
      nodes: [[pref('foo', 'bar')], [pref('foo', 'blah')]],
      want: [100, 0],
    },
    {
      name: 'nodes whose taints are all tolerated get the same score, however many',
      tolerations: [
        { key: 'cpu-type', operator: 'Equal', value: 'arm64', effect: 'PreferNoSchedule' },
        { key: 'disk-type', operator: 'Equal', value: 'ssd', effect: 'PreferNoSchedule' },
      ],
      nodes: [[], [pref('cpu-type', 'arm64')], [pref('cpu-type', 'arm64'), pref('disk-type', 'ssd')]],
      want: [100, 100, 100],
    },
    {
      name: 'the more intolerable taints a node has, the lower its score',
      tolerations: [{ key: 'foo', operator: 'Equal', value: 'bar', effect: 'PreferNoSchedule' }],
      nodes: [[], [pref('cpu-type', 'arm64')], [pref('cpu-type', 'arm64'), pref('disk-type', 'ssd')]],
      want: [100, 50, 0],
    },
    {
      name: 'only PreferNoSchedule taints and tolerations count',
      tolerations: [
        { key: 'cpu-type', operator: 'Equal', value: 'arm64', effect: 'NoSchedule' },
        { key: 'disk-type', operator: 'Equal', value: 'ssd', effect: 'NoSchedule' },
      ],
      nodes: [[], [{ key: 'cpu-type', value: 'arm64', effect: 'NoSchedule' }], [pref('cpu-type', 'arm64'), pref('disk-type', 'ssd')]],
      want: [100, 100, 0],
    },
    { name: 'no taints and no tolerations', tolerations: [], nodes: [[], []], want: [100, 100] },
  ];
  it.each(cases)('$name', ({ tolerations, nodes, want }) => {
    const pod = podWith(tolerations);
    const infos = buildNodeInfos(nodes.map((taints, i) => makeNode(`n${i}`, { taints })), []);
    const scores: NodeScore[] = infos.map((n) => ({ name: n.name, score: taintToleration.score!(new Map(), pod, n) }));
    taintToleration.normalizeScore!(new Map(), pod, scores);
    expect(scores.map((s) => s.score)).toEqual(want);
  });
});
