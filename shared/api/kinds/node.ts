/** Node (v1, cluster-scoped): defaults, validation and `kubectl get nodes` columns. */
import { isIP } from 'node:net';
import { quantityError } from '../quantity';
import type { ResourceInfo } from '../resource';
import type { FieldError } from '../status';
import type { KubeObject } from '../types';
import { asString, child, dedupe, duplicate, forbidden, goJSON, index, invalid, notSupported, required } from '../validation/field';
import { isValidLabelValue, validateLabelName } from '../validation/labels';
import { nameIsDNSSubdomain } from '../validation/names';
import { validateObjectMeta, validateObjectMetaUpdate } from '../validation/objectmeta';
import { ageCell, ageColumn, clearNamespace, column, isObject, metaOf, nameColumn, objectsOf } from './common';

const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const ROLE_PREFIX = 'node-role.kubernetes.io/';
const ROLE_LABEL = 'kubernetes.io/role';
const ADDRESSES_DESCRIPTION =
  "List of addresses reachable to the node. Queried from cloud provider, if available. More info: https://kubernetes.io/docs/reference/node/node-status/#addresses Note: This field is declared as mergeable, but the merge key is not sufficiently unique, which can cause data corruption when it is merged. Callers should instead use a full-replacement patch. See https://pr.k8s.io/79391 for an example. Consumers should assume that addresses can change during the lifetime of a Node. However, there are some exceptions where this may not be possible, such as Pods that inherit a Node's address in its own status or consumers of the downward API (status.hostIP).";

/** SetDefaults_NodeStatus: allocatable starts as a copy of capacity. */
function defaults(obj: KubeObject): void {
  clearNamespace(obj);
  if (isObject(obj.status) && isObject(obj.status.capacity) && obj.status.allocatable == null) {
    obj.status.allocatable = { ...obj.status.capacity };
  }
}

/** Taints, validated at `metadata.taints` as upstream does (sic). */
export function validateTaints(taints: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  objectsOf(taints).forEach((t, i) => {
    const p = index(path, i);
    errs.push(...validateLabelName(t.key ?? '', child(p, 'key')));
    const valueErrs = isValidLabelValue(t.value ?? '');
    if (valueErrs.length) errs.push(invalid(child(p, 'value'), t.value ?? '', valueErrs.join(';')));
    if (!t.effect) errs.push(required(child(p, 'effect')));
    else if (!TAINT_EFFECTS.includes(t.effect)) errs.push(notSupported(child(p, 'effect'), t.effect, TAINT_EFFECTS));
    const id = `${t.effect ?? ''}\u0000${t.key ?? ''}`;
    if (seen.has(id)) {
      const shown = goJSON({ Key: asString(t.key), Value: asString(t.value), Effect: asString(t.effect), TimeAdded: t.timeAdded ?? null });
      errs.push(duplicate(p, shown, 'taints must be unique by key and effect pair'));
    } else seen.add(id);
  });
  return errs;
}

function validateResources(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  for (const field of ['capacity', 'allocatable']) {
    for (const [name, q] of Object.entries((obj.status?.[field] as Record<string, unknown>) ?? {})) {
      const path = child('status', field, name);
      const err = quantityError(q);
      if (err) errs.push(invalid(path, q, err));
      else if (asString(q).trim().startsWith('-')) errs.push(invalid(path, asString(q), 'must be greater than or equal to 0'));
    }
  }
  return errs;
}

function isCIDR(value: string): boolean {
  const [ip, bits, extra] = value.split('/');
  if (extra !== undefined || bits === undefined || !/^\d+$/.test(bits)) return false;
  const family = isIP(ip);
  return family !== 0 && Number(bits) <= (family === 4 ? 32 : 128);
}

function validatePodCIDRs(obj: KubeObject): FieldError[] {
  const cidrs: unknown[] = Array.isArray(obj.spec?.podCIDRs) ? obj.spec.podCIDRs : [];
  return cidrs.flatMap((c, i) =>
    typeof c === 'string' && isCIDR(c) ? [] : [invalid(index('spec.podCIDRs', i), c, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)')],
  );
}

function validate(obj: KubeObject): FieldError[] {
  return [
    ...validateObjectMeta(metaOf(obj), { namespaced: false, nameFn: nameIsDNSSubdomain }),
    ...validateTaints(obj.spec?.taints, 'metadata.taints'),
    ...validateResources(obj),
    ...validatePodCIDRs(obj),
  ];
}

/** podCIDRs and providerID may only go from unset to set; addresses must be unique. */
function validateUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const errs = [...validateObjectMetaUpdate(metaOf(obj), metaOf(old)), ...validateResources(obj)];
  const seen = new Set<string>();
  objectsOf(obj.status?.addresses).forEach((a, i) => {
    const id = `${a.type}\u0000${a.address}`;
    if (seen.has(id)) errs.push(duplicate(index('status.addresses', i), goJSON({ Type: asString(a.type), Address: asString(a.address) })));
    seen.add(id);
  });
  const oldCIDRs: string[] = old.spec?.podCIDRs ?? [];
  const newCIDRs: string[] = obj.spec?.podCIDRs ?? [];
  if (oldCIDRs.length > 0 && (oldCIDRs.length !== newCIDRs.length || oldCIDRs.some((c, i) => c !== newCIDRs[i]))) {
    errs.push(forbidden('spec.podCIDRs', 'node updates may not change podCIDR except from "" to valid'));
  }
  if (old.spec?.providerID && old.spec.providerID !== obj.spec?.providerID) {
    errs.push(forbidden('spec.providerID', 'node updates may not change providerID except from "" to valid'));
  }
  errs.push(...validateTaints(obj.spec?.taints, 'metadata.taints'), ...validatePodCIDRs(obj));
  return dedupe(errs);
}

/** STATUS: Ready / NotReady / Unknown from the Ready condition, plus SchedulingDisabled when cordoned. */
export function nodeStatus(obj: KubeObject): string {
  const ready = objectsOf(obj.status?.conditions).find((c) => c.type === 'Ready');
  const status = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
  if (obj.spec?.unschedulable) status.push('SchedulingDisabled');
  return status.join(',');
}

/** ROLES: `node-role.kubernetes.io/<role>` labels and `kubernetes.io/role`, sorted, or `<none>`. */
export function nodeRoles(obj: KubeObject): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(metaOf(obj).labels ?? {})) {
    if (k.startsWith(ROLE_PREFIX) && k.length > ROLE_PREFIX.length) roles.add(k.slice(ROLE_PREFIX.length));
    else if (k === ROLE_LABEL && v) roles.add(v);
  }
  return roles.size ? [...roles].sort().join(',') : '<none>';
}

function address(obj: KubeObject, type: string): string {
  return objectsOf(obj.status?.addresses).find((a) => a.type === type)?.address ?? '<none>';
}

function row(obj: KubeObject, now: Date): unknown[] {
  const info = obj.status?.nodeInfo ?? {};
  return [
    metaOf(obj).name ?? '',
    nodeStatus(obj),
    nodeRoles(obj),
    ageCell(obj, now),
    info.kubeletVersion ?? '',
    address(obj, 'InternalIP'),
    address(obj, 'ExternalIP'),
    info.osImage || '<unknown>',
    info.kernelVersion || '<unknown>',
    info.containerRuntimeVersion || '<unknown>',
  ];
}

export const nodes: ResourceInfo = {
  resource: 'nodes',
  singular: 'node',
  kind: 'Node',
  listKind: 'NodeList',
  group: '',
  version: 'v1',
  namespaced: false,
  shortNames: ['no'],
  subresources: ['status'],
  hasStatusSubresource: true,
  hasGeneration: false,
  keepStatusOnCreate: true,
  defaults,
  validate,
  validateUpdate,
  columns: [
    nameColumn(),
    column('Status', 'string', 'The status of the node'),
    column('Roles', 'string', 'The roles of the node'),
    ageColumn(),
    column('Version', 'string', 'Kubelet Version reported by the node.'),
    column('Internal-IP', 'string', ADDRESSES_DESCRIPTION, 1),
    column('External-IP', 'string', ADDRESSES_DESCRIPTION, 1),
    column('OS-Image', 'string', 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).', 1),
    column('Kernel-Version', 'string', "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", 1),
    column('Container-Runtime', 'string', 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).', 1),
  ],
  row,
};
