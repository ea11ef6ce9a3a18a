import { groupVersions, lookupKind, lookupResource, lookupResourceByName, lookupServed, resources } from './registry';

describe('registry', () => {
  it('serves Kubernetes names, short names and categories', () => {
    const table = resources.map((r) => [r.group, r.version, r.resource, r.kind, r.namespaced, r.shortNames ?? [], r.categories ?? []]);
    expect(table).toEqual([
      ['', 'v1', 'namespaces', 'Namespace', false, ['ns'], []],
      ['', 'v1', 'nodes', 'Node', false, ['no'], []],
      ['', 'v1', 'pods', 'Pod', true, ['po'], ['all']],
      ['', 'v1', 'services', 'Service', true, ['svc'], ['all']],
      ['', 'v1', 'endpoints', 'Endpoints', true, ['ep'], []],
      ['', 'v1', 'configmaps', 'ConfigMap', true, ['cm'], []],
      ['', 'v1', 'secrets', 'Secret', true, [], []],
      ['', 'v1', 'events', 'Event', true, ['ev'], []],
      ['apps', 'v1', 'deployments', 'Deployment', true, ['deploy'], ['all']],
      ['apps', 'v1', 'replicasets', 'ReplicaSet', true, ['rs'], ['all']],
      ['autoscaling', 'v2', 'horizontalpodautoscalers', 'HorizontalPodAutoscaler', true, ['hpa'], ['all']],
      ['coordination.k8s.io', 'v1', 'leases', 'Lease', true, [], []],
      ['discovery.k8s.io', 'v1', 'endpointslices', 'EndpointSlice', true, [], []],
      ['policy', 'v1', 'poddisruptionbudgets', 'PodDisruptionBudget', true, ['pdb'], []],
      ['sim.kubeq.io', 'v1alpha1', 'loads', 'Load', true, [], ['kubeq']],
    ]);
  });

  it('declares subresources and strategy flags', () => {
    const flags = Object.fromEntries(resources.map((r) => [r.resource, [r.subresources, r.hasStatusSubresource, r.hasGeneration]]));
    expect(flags.pods).toEqual([['status', 'binding', 'eviction'], true, false]);
    expect(flags.poddisruptionbudgets).toEqual([['status'], true, true]);
    expect(flags.deployments).toEqual([['status', 'scale'], true, true]);
    expect(flags.replicasets).toEqual([['status', 'scale'], true, true]);
    expect(flags.namespaces).toEqual([['status', 'finalize'], true, false]);
    expect(flags.configmaps).toEqual([[], false, false]);
    expect(flags.services).toEqual([['status'], true, false]);
    expect(flags.endpointslices).toEqual([[], false, true]);
  });

  it('looks resources up', () => {
    expect(lookupResource('', 'pods')?.kind).toBe('Pod');
    expect(lookupResource('apps', 'deployments')?.kind).toBe('Deployment');
    expect(lookupResource('', 'deployments')).toBeUndefined();
    expect(lookupResource('', 'po')).toBeUndefined();
    expect(lookupResourceByName('leases')?.group).toBe('coordination.k8s.io');
    expect(lookupKind('apps/v1', 'ReplicaSet')?.resource).toBe('replicasets');
    expect(lookupKind('v1', 'Deployment')).toBeUndefined();
    expect(lookupKind('autoscaling/v1', 'HorizontalPodAutoscaler')).toMatchObject({ version: 'v1', conversion: expect.any(Object) });
    expect(lookupServed('autoscaling', 'v1', 'horizontalpodautoscalers')?.version).toBe('v1');
    expect(lookupServed('autoscaling', 'v3', 'horizontalpodautoscalers')).toBeUndefined();
  });

  it('groups resources for discovery, core first', () => {
    expect(groupVersions().map((g) => [g.groupVersion, g.resources.map((r) => r.resource)])).toEqual([
      ['v1', ['namespaces', 'nodes', 'pods', 'services', 'endpoints', 'configmaps', 'secrets', 'events']],
      ['apps/v1', ['deployments', 'replicasets']],
      ['autoscaling/v2', ['horizontalpodautoscalers']],
      ['autoscaling/v1', ['horizontalpodautoscalers']],
      ['coordination.k8s.io/v1', ['leases']],
      ['discovery.k8s.io/v1', ['endpointslices']],
      ['policy/v1', ['poddisruptionbudgets']],
      ['sim.kubeq.io/v1alpha1', ['loads']],
    ]);
  });

  it('gives every kind a row as wide as its columns', () => {
    for (const r of resources) {
      const obj = { apiVersion: r.group ? `${r.group}/${r.version}` : r.version, kind: r.kind, metadata: { name: 'x', namespace: r.namespaced ? 'default' : undefined } };
      r.defaults(obj);
      expect([r.resource, r.row(obj, new Date()).length]).toEqual([r.resource, r.columns.length]);
    }
  });
});
