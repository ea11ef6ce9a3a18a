import { DEFAULT_PLUGINS, DEFAULT_PROFILE } from './profile';
import { buildProfile, REGISTRY } from './registry';

describe('the default profile', () => {
  it('has upstream’s score weights, in upstream’s order', () => {
    expect(DEFAULT_PROFILE.map((p) => [p.plugin.name, p.weight])).toEqual(DEFAULT_PLUGINS.map((p) => [p.name, p.weight]));
    const scoring = Object.fromEntries(DEFAULT_PROFILE.filter((p) => p.plugin.score).map((p) => [p.plugin.name, p.weight]));
    expect(scoring).toEqual({
      TaintToleration: 3,
      NodeAffinity: 2,
      NodeResourcesFit: 1,
      PodTopologySpread: 2,
      InterPodAffinity: 2,
      NodeResourcesBalancedAllocation: 1,
      ImageLocality: 1,
    });
  });

  it('names every registered plugin once', () => {
    expect(new Set(DEFAULT_PROFILE.map((p) => p.plugin.name))).toEqual(new Set(REGISTRY.keys()));
  });

  it('refuses unknown plugin names', () => {
    expect(() => buildProfile([{ name: 'NodePorts' }])).toThrow('unknown scheduler plugin "NodePorts"');
  });
});
