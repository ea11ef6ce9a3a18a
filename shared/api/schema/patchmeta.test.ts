import { patchMetaAt } from './patchmeta';

describe('patchMetaAt', () => {
  it.each<[string, string, string[], unknown]>([
    ['v1', 'Pod', ['spec', 'containers'], { mergeKey: 'name', strategy: 'merge' }],
    ['v1', 'Pod', ['spec', 'containers', '0', 'ports'], { mergeKey: 'containerPort', strategy: 'merge' }],
    ['v1', 'Pod', ['spec', 'containers', 'env'], { mergeKey: 'name', strategy: 'merge' }],
    ['v1', 'Pod', ['spec', 'volumes'], { mergeKey: 'name', strategy: 'merge,retainKeys' }],
    ['v1', 'Pod', ['spec', 'tolerations'], {}],
    ['v1', 'Pod', ['status', 'conditions'], { mergeKey: 'type', strategy: 'merge' }],
    ['v1', 'Pod', ['metadata', 'finalizers'], { strategy: 'merge' }],
    ['v1', 'Pod', ['metadata', 'ownerReferences'], { mergeKey: 'uid', strategy: 'merge' }],
    ['apps/v1', 'Deployment', ['spec', 'template', 'spec', 'containers', 'volumeMounts'], { mergeKey: 'mountPath', strategy: 'merge' }],
    ['apps/v1', 'Deployment', ['spec', 'strategy'], { strategy: 'retainKeys' }],
    ['apps/v1', 'ReplicaSet', ['status', 'conditions'], { mergeKey: 'type', strategy: 'merge' }],
    ['v1', 'Node', ['status', 'addresses'], { mergeKey: 'type', strategy: 'merge' }],
    ['v1', 'Node', ['spec', 'podCIDRs'], { strategy: 'merge' }],
    ['v1', 'ConfigMap', ['data'], {}],
    ['v1', 'Pod', ['spec', 'nodeSelector', 'disk'], undefined],
    ['example.com/v1', 'Widget', ['spec'], undefined],
  ])('%s %s %j', (apiVersion, kind, path, want) => expect(patchMetaAt(apiVersion, kind, path)).toEqual(want));
});
