import { kindFromResource, reconcileAttributes, reconcileSpanName } from './span';

test.each([
  ['pods', 'Pod'],
  ['replicasets', 'ReplicaSet'],
  ['endpoints', 'Endpoints'],
  ['horizontalpodautoscalers', 'HorizontalPodAutoscaler'],
  ['widgets', 'Widget'],
  ['policies', 'Policy'],
])('kind of %s is %s', (resource, kind) => {
  expect(kindFromResource(resource)).toBe(kind);
});

test.each([
  ['pods/default/web-1', 'reconcile Pod', { 'kubeq.object_key': 'pods/default/web-1', 'kubeq.resource': 'pods', 'k8s.namespace.name': 'default', 'k8s.pod.name': 'web-1' }],
  ['nodes/node-1', 'reconcile Node', { 'kubeq.object_key': 'nodes/node-1', 'kubeq.resource': 'nodes', 'k8s.node.name': 'node-1' }],
  ['namespaces/kube-system', 'reconcile Namespace', { 'kubeq.object_key': 'namespaces/kube-system', 'kubeq.resource': 'namespaces', 'k8s.namespace.name': 'kube-system' }],
  ['deployments/a/web', 'reconcile Deployment', { 'kubeq.object_key': 'deployments/a/web', 'kubeq.resource': 'deployments', 'k8s.namespace.name': 'a', 'k8s.deployment.name': 'web' }],
  ['configmaps/a/c', 'reconcile ConfigMap', { 'kubeq.object_key': 'configmaps/a/c', 'kubeq.resource': 'configmaps', 'k8s.namespace.name': 'a' }],
  ['garbage', 'reconcile Garbage', { 'kubeq.object_key': 'garbage', 'kubeq.resource': 'garbage' }],
])('span of %s', (key, name, attrs) => {
  expect(reconcileSpanName(key)).toBe(name);
  expect(reconcileAttributes(key)).toEqual(attrs);
});

test('a kind mapper overrides the guess', () => {
  expect(reconcileSpanName('foos/x', () => 'FooBar')).toBe('reconcile FooBar');
});
