/**
 * Strategic-merge-patch metadata (`patchMergeKey` / `patchStrategy` struct tags, published as
 * x-kubernetes-patch-merge-key / x-kubernetes-patch-strategy). The compiled schemas in
 * kubernetes-models do not carry these extensions, so this is the upstream tags of the types
 * kubeq serves, transcribed from k8s.io/api.
 */

export interface PatchMeta {
  /** The list field's merge key (`name` for containers); absent for lists of scalars. */
  mergeKey?: string;
  /** `merge`, `retainKeys` or `merge,retainKeys`. */
  strategy?: string;
}

interface FieldType {
  /** The type of the field's value, or of each item for lists. */
  type?: string;
  meta?: PatchMeta;
}

const merge = (mergeKey?: string, type?: string): FieldType => ({ type, meta: mergeKey ? { mergeKey, strategy: 'merge' } : { strategy: 'merge' } });

/** Type name → field → its type and patch metadata. Fields without either are omitted. */
const TYPES: Record<string, Record<string, FieldType>> = {
  ObjectMeta: { finalizers: merge(), ownerReferences: merge('uid') },
  PodTemplateSpec: { metadata: { type: 'ObjectMeta' }, spec: { type: 'PodSpec' } },
  PodSpec: {
    volumes: { meta: { mergeKey: 'name', strategy: 'merge,retainKeys' } },
    initContainers: merge('name', 'Container'),
    containers: merge('name', 'Container'),
    ephemeralContainers: merge('name', 'Container'),
    imagePullSecrets: merge('name'),
    hostAliases: merge('ip'),
    topologySpreadConstraints: merge('topologyKey'),
    schedulingGates: merge('name'),
    resourceClaims: { meta: { mergeKey: 'name', strategy: 'merge,retainKeys' } },
  },
  Container: { ports: merge('containerPort'), env: merge('name'), volumeMounts: merge('mountPath'), volumeDevices: merge('devicePath') },
  PodStatus: {
    conditions: merge('type'),
    podIPs: merge('ip'),
    hostIPs: merge('ip'),
    resourceClaimStatuses: { meta: { mergeKey: 'name', strategy: 'merge,retainKeys' } },
  },
  NodeSpec: { podCIDRs: merge() },
  NodeStatus: { conditions: merge('type'), addresses: merge('type') },
  NamespaceStatus: { conditions: merge('type') },
  DeploymentSpec: { template: { type: 'PodTemplateSpec' }, strategy: { meta: { strategy: 'retainKeys' } } },
  DeploymentStatus: { conditions: merge('type') },
  ReplicaSetSpec: { template: { type: 'PodTemplateSpec' } },
  ReplicaSetStatus: { conditions: merge('type') },
  ServiceSpec: { ports: merge('port') },
  ServiceStatus: { conditions: merge('type') },
};

const ROOTS: Record<string, Record<string, string>> = {
  'v1/Pod': { spec: 'PodSpec', status: 'PodStatus' },
  'v1/Node': { spec: 'NodeSpec', status: 'NodeStatus' },
  'v1/Namespace': { status: 'NamespaceStatus' },
  'v1/ConfigMap': {},
  'v1/Secret': {},
  'v1/Event': {},
  'v1/Service': { spec: 'ServiceSpec', status: 'ServiceStatus' },
  'v1/Endpoints': {},
  'discovery.k8s.io/v1/EndpointSlice': {},
  'coordination.k8s.io/v1/Lease': {},
  'apps/v1/Deployment': { spec: 'DeploymentSpec', status: 'DeploymentStatus' },
  'apps/v1/ReplicaSet': { spec: 'ReplicaSetSpec', status: 'ReplicaSetStatus' },
};

/**
 * Patch metadata of the field at `path` (field names from the object root; list items add no
 * segment, and purely numeric segments are skipped), e.g. (`apps/v1`, `Deployment`,
 * [`spec`, `template`, `spec`, `containers`]) → `{ mergeKey: 'name', strategy: 'merge' }`.
 * `{}` for a known field without patch tags; undefined when the path leaves the known types.
 */
export function patchMetaAt(apiVersion: string, kind: string, path: string[]): PatchMeta | undefined {
  const root = ROOTS[`${apiVersion}/${kind}`];
  if (!root) return undefined;
  const segments = path.filter((s) => !/^\d+$/.test(s));
  if (segments.length === 0) return undefined;
  let type: string | undefined = segments[0] === 'metadata' ? 'ObjectMeta' : root[segments[0]];
  if (segments.length === 1) return {};
  for (let i = 1; i < segments.length; i++) {
    if (!type) return undefined;
    const field: FieldType | undefined = TYPES[type]?.[segments[i]];
    if (i === segments.length - 1) return field?.meta ? { ...field.meta } : {};
    type = field?.type;
  }
  return undefined;
}
