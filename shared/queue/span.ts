import type { Attributes } from '@opentelemetry/api';
import { parseObjectKey, type ObjectKey } from '../api/types';
import { objectAttributes } from '../tracing/tracer';

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
  try {
    const { resource, namespace, name } = parseObjectKey(key);
    return objectAttributes(resource, namespace, name);
  } catch {
    // a malformed key keeps only kubeq.*; the runner fails it as terminal
    return { 'kubeq.object_key': key, 'kubeq.resource': resourceOf(key) };
  }
}

function resourceOf(key: ObjectKey): string {
  const slash = key.indexOf('/');
  return slash < 0 ? key : key.slice(0, slash);
}
