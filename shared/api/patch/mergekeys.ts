/**
 * Kubernetes' strategic-merge metadata for the built-in types, keyed by kubernetes-models
 * definition name and JSON field name.
 *
 * Upstream keeps this in struct tags (`patchStrategy:"merge" patchMergeKey:"name"` in
 * k8s.io/api/<group>/<version>/types.go) and publishes it as the OpenAPI extensions
 * `x-kubernetes-patch-strategy` / `x-kubernetes-patch-merge-key`. kubernetes-models' compiled
 * schemas drop those extensions, so the table below is transcribed from types.go.
 *
 * A field missing here has no strategy: maps merge key by key, lists are replaced whole
 * (tolerations, envFrom, readinessGates, containerStatuses, taints, ...).
 */

export interface FieldPatchMeta {
  /** `patchStrategy` split on commas: `merge`, `replace`, `retainKeys`. Empty when none. */
  readonly strategies: readonly string[];
  /** `patchMergeKey` of a list of objects merged by key; `''` for lists of scalars or no key. */
  readonly mergeKey: string;
}

export const NO_PATCH_META: FieldPatchMeta = Object.freeze({ strategies: Object.freeze([]), mergeKey: '' });

/** `merge` by `key` (or merged as a set when no key), optionally with `retainKeys`. */
function merge(mergeKey = '', retainKeys = false): FieldPatchMeta {
  return { strategies: retainKeys ? ['merge', 'retainKeys'] : ['merge'], mergeKey };
}

const CONDITIONS_BY_TYPE = { conditions: merge('type') };

const CONTAINER_LISTS = {
  ports: merge('containerPort'),
  env: merge('name'),
  volumeMounts: merge('mountPath'),
  volumeDevices: merge('devicePath'),
};

/** Definition → field → metadata. */
export const BUILTIN_PATCH_META: Readonly<Record<string, Readonly<Record<string, FieldPatchMeta>>>> = {
  // k8s.io/apimachinery/pkg/apis/meta/v1
  IoK8sApimachineryPkgApisMetaV1ObjectMeta: { finalizers: merge(), ownerReferences: merge('uid') },

  // k8s.io/api/core/v1
  IoK8sApiCoreV1PodSpec: {
    volumes: merge('name', true),
    initContainers: merge('name'),
    containers: merge('name'),
    ephemeralContainers: merge('name'),
    imagePullSecrets: merge('name'),
    hostAliases: merge('ip'),
    topologySpreadConstraints: merge('topologyKey'),
    schedulingGates: merge('name'),
    resourceClaims: merge('name', true),
  },
  IoK8sApiCoreV1Container: CONTAINER_LISTS,
  IoK8sApiCoreV1EphemeralContainer: CONTAINER_LISTS,
  IoK8sApiCoreV1PodStatus: {
    conditions: merge('type'),
    podIPs: merge('ip'),
    hostIPs: merge('ip'),
    resourceClaimStatuses: merge('name', true),
  },
  IoK8sApiCoreV1NodeSpec: { podCIDRs: merge() },
  IoK8sApiCoreV1NodeStatus: { conditions: merge('type'), addresses: merge('type') },
  IoK8sApiCoreV1ServiceSpec: { ports: merge('port') },
  IoK8sApiCoreV1ServiceStatus: CONDITIONS_BY_TYPE,
  IoK8sApiCoreV1ServiceAccount: { secrets: merge('name') },
  IoK8sApiCoreV1PersistentVolumeClaimStatus: CONDITIONS_BY_TYPE,
  IoK8sApiCoreV1NamespaceStatus: CONDITIONS_BY_TYPE,
  IoK8sApiCoreV1ReplicationControllerStatus: CONDITIONS_BY_TYPE,
  IoK8sApiCoreV1ComponentStatus: CONDITIONS_BY_TYPE,

  // k8s.io/api/apps/v1
  IoK8sApiAppsV1DeploymentSpec: { strategy: { strategies: ['retainKeys'], mergeKey: '' } },
  IoK8sApiAppsV1DeploymentStatus: CONDITIONS_BY_TYPE,
  IoK8sApiAppsV1ReplicaSetStatus: CONDITIONS_BY_TYPE,
  IoK8sApiAppsV1StatefulSetStatus: CONDITIONS_BY_TYPE,
  IoK8sApiAppsV1DaemonSetStatus: CONDITIONS_BY_TYPE,

  // k8s.io/api/batch/v1, autoscaling/v2, policy/v1, networking/v1
  IoK8sApiBatchV1JobStatus: CONDITIONS_BY_TYPE,
  IoK8sApiAutoscalingV2HorizontalPodAutoscalerStatus: CONDITIONS_BY_TYPE,
  IoK8sApiPolicyV1PodDisruptionBudgetStatus: CONDITIONS_BY_TYPE,
  IoK8sApiNetworkingV1ServiceCIDRStatus: CONDITIONS_BY_TYPE,
};

/** The metadata of `field` in `definition`; NO_PATCH_META when it has none. */
export function builtinPatchMeta(definition: string, field: string): FieldPatchMeta {
  const fields = BUILTIN_PATCH_META[definition];
  return (fields && Object.hasOwn(fields, field) ? fields[field] : undefined) ?? NO_PATCH_META;
}
