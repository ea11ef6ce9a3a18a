/**
 * Node taints and pod tolerations as k8s.io/api/core/v1 defines them: the well-known taint keys
 * (well_known_taints.go) and Toleration.ToleratesTaint. Shared by the API's DefaultTolerationSeconds
 * defaulting and the controller-manager's node-lifecycle and taint-eviction controllers.
 */

/** The node's Ready condition is False. */
export const TAINT_NODE_NOT_READY = 'node.kubernetes.io/not-ready';
/** The node controller cannot hear from the node: its Ready condition is Unknown. */
export const TAINT_NODE_UNREACHABLE = 'node.kubernetes.io/unreachable';
/** `spec.unschedulable` (kubectl cordon). */
export const TAINT_NODE_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';
export const TAINT_NODE_MEMORY_PRESSURE = 'node.kubernetes.io/memory-pressure';
export const TAINT_NODE_DISK_PRESSURE = 'node.kubernetes.io/disk-pressure';
export const TAINT_NODE_NETWORK_UNAVAILABLE = 'node.kubernetes.io/network-unavailable';
export const TAINT_NODE_PID_PRESSURE = 'node.kubernetes.io/pid-pressure';

export type TaintEffect = 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';

export interface Taint {
  key: string;
  value?: string;
  effect: string;
  /** RFC 3339; written for the taints the node controller adds. */
  timeAdded?: string;
}

export interface Toleration {
  key?: string;
  /** `Equal` (the default) or `Exists`. */
  operator?: string;
  value?: string;
  /** Empty matches every effect. */
  effect?: string;
  /** NoExecute only: how long the pod stays once the taint is there; unset means for ever, 0 or less means not at all. */
  tolerationSeconds?: number;
}

/**
 * Whether one toleration tolerates the taint: an empty effect matches every effect, an empty
 * key with `Exists` matches every key, `Equal` (the default operator) needs the same value.
 */
export function toleratesTaint(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  switch (toleration.operator ?? '') {
    case '':
    case 'Equal':
      return (toleration.value ?? '') === (taint.value ?? '');
    case 'Exists':
      return true;
    default:
      return false;
  }
}

/** The node's taints (`spec.taints`); [] when it has none. */
export function nodeTaints(node: { spec?: { taints?: unknown } } | undefined): Taint[] {
  return Array.isArray(node?.spec?.taints) ? (node.spec.taints as Taint[]) : [];
}

/** The pod's tolerations (`spec.tolerations`); [] when it has none. */
export function podTolerations(pod: { spec?: { tolerations?: unknown } }): Toleration[] {
  return Array.isArray(pod.spec?.tolerations) ? (pod.spec.tolerations as Toleration[]) : [];
}

/** Same key and effect: how taints are told apart (a node holds at most one of each pair). */
export function sameTaint(a: Pick<Taint, 'key' | 'effect'>, b: Pick<Taint, 'key' | 'effect'>): boolean {
  return a.key === b.key && a.effect === b.effect;
}
