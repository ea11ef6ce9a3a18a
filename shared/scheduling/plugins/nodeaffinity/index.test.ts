import { buildNodeInfos, NodeInfo } from '../../framework/node-info';
import type { NodeScore } from '../../framework/plugin';
import { makeNode, makePod } from '../../testing';
import { ERR_REASON_POD, NAME, nodeAffinity } from './index';
import type { NodeSelectorRequirement } from '../../framework/node-selector';

const required = (...terms: NodeSelectorRequirement[][]) => ({
  affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms.map((matchExpressions) => ({ matchExpressions })) } } },
});

// Drawn from Kubernetes' TestNodeAffinity (node_affinity_test.go).
describe(`${NAME} Filter`, () => {
  const cases: { name: string; spec: Record<string, unknown>; labels: Record<string, string>; fits: boolean }[] = [
    { name: 'no selector', spec: {}, labels: {}, fits: true },
    { name: 'nodeSelector missing label', spec: { nodeSelector: { foo: 'bar' } }, labels: {}, fits: false },
    { name: 'nodeSelector matches', spec: { nodeSelector: { foo: 'bar' } }, labels: { foo: 'bar' }, fits: true },
    { name: 'nodeSelector value differs', spec: { nodeSelector: { foo: 'bar' } }, labels: { foo: 'baz' }, fits: false },
    { name: 'In matches', spec: required([{ key: 'foo', operator: 'In', values: ['bar', 'value2'] }]), labels: { foo: 'bar' }, fits: true },
    { name: 'In without the label', spec: required([{ key: 'foo', operator: 'In', values: ['bar'] }]), labels: {}, fits: false },
    { name: 'NotIn without the label matches', spec: required([{ key: 'foo', operator: 'NotIn', values: ['bar'] }]), labels: {}, fits: true },
    { name: 'NotIn with the value', spec: required([{ key: 'foo', operator: 'NotIn', values: ['bar'] }]), labels: { foo: 'bar' }, fits: false },
    { name: 'Exists', spec: required([{ key: 'foo', operator: 'Exists' }]), labels: { foo: '' }, fits: true },
    { name: 'DoesNotExist', spec: required([{ key: 'foo', operator: 'DoesNotExist' }]), labels: { foo: 'x' }, fits: false },
    { name: 'Gt matches', spec: required([{ key: 'GPU', operator: 'Gt', values: ['0'] }]), labels: { GPU: '2' }, fits: true },
    { name: 'Gt with a non-integer label', spec: required([{ key: 'GPU', operator: 'Gt', values: ['0'] }]), labels: { GPU: 'many' }, fits: false },
    { name: 'Lt matches', spec: required([{ key: 'GPU', operator: 'Lt', values: ['3'] }]), labels: { GPU: '2' }, fits: true },
    { name: 'Lt equal is false', spec: required([{ key: 'GPU', operator: 'Lt', values: ['2'] }]), labels: { GPU: '2' }, fits: false },
    {
      name: 'expressions in one term are ANDed',
      spec: required([
        { key: 'foo', operator: 'In', values: ['bar'] },
        { key: 'GPU', operator: 'Exists' },
      ]),
      labels: { foo: 'bar' },
      fits: false,
    },
    { name: 'terms are ORed', spec: required([{ key: 'foo', operator: 'In', values: ['x'] }], [{ key: 'GPU', operator: 'Exists' }]), labels: { GPU: '1' }, fits: true },
    { name: 'an empty term matches nothing', spec: required([]), labels: { foo: 'bar' }, fits: false },
    { name: 'empty terms list matches nothing', spec: required(), labels: { foo: 'bar' }, fits: false },
    { name: 'a malformed requirement fails its term', spec: required([{ key: 'foo', operator: 'In', values: [] }]), labels: { foo: 'bar' }, fits: false },
    { name: 'nodeSelector and affinity must both hold', spec: { nodeSelector: { foo: 'bar' }, ...required([{ key: 'foo', operator: 'In', values: ['bar'] }]) }, labels: { foo: 'bar' }, fits: true },
    {
      name: 'matchFields metadata.name',
      spec: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n'] }] }] } } } },
      labels: {},
      fits: true,
    },
  ];
  it.each(cases)('$name', ({ spec, labels, fits }) => {
    const status = nodeAffinity.filter!(new Map(), makePod({ spec }), new NodeInfo(makeNode('n', { labels })));
    expect({ code: status.code, reasons: status.reasons }).toEqual(fits ? { code: 'Success', reasons: [] } : { code: 'UnschedulableAndUnresolvable', reasons: [ERR_REASON_POD] });
  });
});

describe(`${NAME} Score + NormalizeScore`, () => {
  const preferred = (...terms: [number, NodeSelectorRequirement[]][]) => ({
    affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: terms.map(([weight, matchExpressions]) => ({ weight, preference: { matchExpressions } })) } },
  });
  const cases: { name: string; spec: Record<string, unknown>; nodes: Record<string, string>[]; want: number[] }[] = [
    { name: 'no preferences: all zero', spec: {}, nodes: [{ foo: 'bar' }, {}], want: [0, 0] },
    { name: 'no node matches', spec: preferred([2, [{ key: 'foo', operator: 'In', values: ['bar'] }]]), nodes: [{ foo: 'x' }, {}], want: [0, 0] },
    { name: 'only one node matches', spec: preferred([2, [{ key: 'foo', operator: 'In', values: ['bar'] }]]), nodes: [{ foo: 'bar' }, {}, { key: 'v' }], want: [100, 0, 0] },
    {
      name: 'weights add up; the best node gets 100 (integer scaling)',
      spec: preferred([2, [{ key: 'foo', operator: 'In', values: ['bar'] }]], [8, [{ key: 'region', operator: 'In', values: ['China'] }]], [5, [{ key: 'az', operator: 'Exists' }]]),
      nodes: [{ foo: 'bar' }, { foo: 'bar', region: 'China', az: 'a' }, { region: 'China' }],
      want: [13, 100, 53],
    },
  ];
  it.each(cases)('$name', ({ spec, nodes, want }) => {
    const pod = makePod({ spec });
    const infos = buildNodeInfos(nodes.map((labels, i) => makeNode(`n${i}`, { labels })), []);
    const scores: NodeScore[] = infos.map((n) => ({ name: n.name, score: nodeAffinity.score!(new Map(), pod, n) }));
    nodeAffinity.normalizeScore!(new Map(), pod, scores);
    expect(scores.map((s) => s.score)).toEqual(want);
  });
});
