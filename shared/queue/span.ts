import type { Attributes } from '@opentelemetry/api';
import { parseObjectKey, type ObjectKey } from '../api/types';

/** Resource → Kind for the kinds kubeq serves; anything else falls back to `kindFromResource`. */
const KINDS: Record<string, string> = {
  pods: 'Pod',
  nodes: 'Node',
  namespaces: 'Namespace',
  services: 'Service',
  endpoints: 'Endpoints',
  endpointslices: 'EndpointSlice',
  configmaps: 'ConfigMap',
  secrets: 'Secret',
  events: 'Event',
  leases: 'Lease',
  deployments: 'Deployment',
  replicasets: 'ReplicaSet',
  statefulsets: 'StatefulSet',
  daemonsets: 'DaemonSet',
  jobs: 'Job',
  cronjobs: 'CronJob',
  horizontalpodautoscalers: 'HorizontalPodAutoscaler',
  replicationcontrollers: 'ReplicationController',
  resourcequotas: 'ResourceQuota',
  persistentvolumes: 'PersistentVolume',
  persistentvolumeclaims: 'PersistentVolumeClaim',
  serviceaccounts: 'ServiceAccount',
};

/** OpenTelemetry's Kubernetes name attributes (`k8s.pod.name`, …), for the kinds that have one. */
const NAME_ATTRIBUTES: Record<string, string> = {
  pods: 'k8s.pod.name',
  nodes: 'k8s.node.name',
  namespaces: 'k8s.namespace.name',
  services: 'k8s.service.name',
  deployments: 'k8s.deployment.name',
  replicasets: 'k8s.replicaset.name',
  statefulsets: 'k8s.statefulset.name',
  daemonsets: 'k8s.daemonset.name',
  jobs: 'k8s.job.name',
  cronjobs: 'k8s.cronjob.name',
  horizontalpodautoscalers: 'k8s.hpa.name',
  replicationcontrollers: 'k8s.replicationcontroller.name',
  resourcequotas: 'k8s.resourcequota.name',
  persistentvolumes: 'k8s.persistentvolume.name',
  persistentvolumeclaims: 'k8s.persistentvolumeclaim.name',
};

/** `widgets` → `Widget`, `policies` → `Policy`: a guess for resources the table does not know. */
export function kindFromResource(resource: string): string {
  const known = KINDS[resource];
  if (known) return known;
  const singular = resource.endsWith('ies') ? `${resource.slice(0, -3)}y` : resource.endsWith('s') ? resource.slice(0, -1) : resource;
  return singular.charAt(0).toUpperCase() + singular.slice(1);
}

/** The low-cardinality span name of a key's reconcile: `reconcile Pod`. */
export function reconcileSpanName(key: ObjectKey, kindOf: (resource: string) => string = kindFromResource): string {
  return `reconcile ${kindOf(resourceOf(key))}`;
}

/** Attributes of a reconcile span: `kubeq.object_key`, `kubeq.resource`, `k8s.namespace.name`, `k8s.<kind>.name`. */
export function reconcileAttributes(key: ObjectKey): Attributes {
  const attrs: Attributes = { 'kubeq.object_key': key, 'kubeq.resource': resourceOf(key) };
  try {
    const { resource, namespace, name } = parseObjectKey(key);
    if (namespace) attrs['k8s.namespace.name'] = namespace;
    const nameAttr = NAME_ATTRIBUTES[resource];
    if (nameAttr) attrs[nameAttr] = name;
  } catch {
    // a malformed key keeps only kubeq.object_key; the runner fails it as terminal
  }
  return attrs;
}

function resourceOf(key: ObjectKey): string {
  const slash = key.indexOf('/');
  return slash < 0 ? key : key.slice(0, slash);
}
