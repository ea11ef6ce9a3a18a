import { loadAutoscalerSettings, parseExpanders, parseNodeGroups } from './settings';

describe('parseNodeGroups', () => {
  test('defaults everything but name and max', () => {
    expect(parseNodeGroups('[{"name":"pool","max":3}]')).toEqual([
      { name: 'pool', min: 0, max: 3, provisioningDelayMs: 60_000, shape: { cpu: '4', memory: '8Gi', pods: '110', labels: {}, taints: [], zone: '', instanceType: 'kubeq.sim' } },
    ]);
  });

  test('reads every field; taints in the kubelet form or as objects', () => {
    const [g] = parseNodeGroups(JSON.stringify([{ name: 'ssd', min: 1, max: 4, cpu: '8', memory: '32Gi', pods: 58, labels: { disktype: 'ssd' }, taints: 'dedicated=ssd:NoSchedule,spot:NoExecute', zone: 'zone-b', provisioningDelay: '1m30s', instanceType: 'm5.2xlarge' }]));
    expect(g).toEqual({
      name: 'ssd',
      min: 1,
      max: 4,
      provisioningDelayMs: 90_000,
      shape: { cpu: '8', memory: '32Gi', pods: '58', labels: { disktype: 'ssd' }, taints: [{ key: 'dedicated', value: 'ssd', effect: 'NoSchedule' }, { key: 'spot', effect: 'NoExecute' }], zone: 'zone-b', instanceType: 'm5.2xlarge' },
    });
    expect(parseNodeGroups('[{"name":"a","max":1,"taints":[{"key":"k","effect":"NoSchedule"}]}]')[0].shape.taints).toEqual([{ key: 'k', effect: 'NoSchedule' }]);
  });

  test.each([
    ['nothing', '', undefined],
    ['not JSON', '[{', /^KUBEQ_NODE_GROUPS is not JSON/],
    ['not a list', '{"name":"a"}', 'KUBEQ_NODE_GROUPS must be a JSON array of node groups'],
    ['a bad name', '[{"name":"Pool_1","max":1}]', 'KUBEQ_NODE_GROUPS: [0].name: "Pool_1" must be a DNS-1123 label of at most 50 characters'],
    ['no max', '[{"name":"a"}]', 'KUBEQ_NODE_GROUPS: group a: max: undefined is not a non-negative integer'],
    ['max below min', '[{"name":"a","min":3,"max":2}]', 'KUBEQ_NODE_GROUPS: group a: max: 2 is less than min 3'],
    ['a bad cpu', '[{"name":"a","max":2,"cpu":"lots"}]', 'KUBEQ_NODE_GROUPS: group a: cpu: "lots" is not a quantity'],
    ['a bad taint', '[{"name":"a","max":2,"taints":"x:Sometimes"}]', 'KUBEQ_NODE_GROUPS: group a: taints: "x:Sometimes" is not key[=value]:NoSchedule|PreferNoSchedule|NoExecute'],
    ['a bad delay', '[{"name":"a","max":2,"provisioningDelay":"soon"}]', 'KUBEQ_NODE_GROUPS: group a: provisioningDelay: "soon" is not a duration (90s, 2m)'],
    ['an unknown field', '[{"name":"a","max":2,"maxSize":3}]', /group a: maxSize: unknown field/],
    ['a name twice', '[{"name":"a","max":2},{"name":"a","max":2}]', 'KUBEQ_NODE_GROUPS: group a: name: appears twice'],
  ])('%s', (_what, text, error) => {
    if (error === undefined) expect(parseNodeGroups(text)).toEqual([]);
    else expect(() => parseNodeGroups(text)).toThrow(error);
  });
});

test('expanders: random by default, a chain, unknown names refused', () => {
  expect(parseExpanders(undefined)).toEqual(['random']);
  expect(parseExpanders('priority, least-waste')).toEqual(['priority', 'least-waste']);
  expect(() => parseExpanders('cheapest')).toThrow('KUBEQ_CA_EXPANDER: "cheapest" is not one of random, least-waste, most-pods, priority');
});

test("upstream's defaults, and overrides", () => {
  expect(loadAutoscalerSettings({})).toMatchObject({ scanIntervalMs: 10_000, utilizationThreshold: 0.5, unneededTimeMs: 600_000, delayAfterAddMs: 600_000, delayAfterFailureMs: 180_000, maxNodeProvisionTimeMs: 900_000, expanders: ['random'], nodeGroups: [] });
  expect(loadAutoscalerSettings({ KUBEQ_CA_SCALE_DOWN_UNNEEDED_TIME: '2m', KUBEQ_CA_SCALE_DOWN_UTILIZATION_THRESHOLD: '0.7' })).toMatchObject({ unneededTimeMs: 120_000, utilizationThreshold: 0.7 });
  expect(() => loadAutoscalerSettings({ KUBEQ_CA_SCALE_DOWN_UTILIZATION_THRESHOLD: '2' })).toThrow(/between 0 and 1/);
  expect(() => loadAutoscalerSettings({ KUBEQ_CA_SCAN_INTERVAL: 'often' })).toThrow('KUBEQ_CA_SCAN_INTERVAL="often" is not a duration (10s, 10m, 1h)');
});
