/** Taints and tolerations (k8s.io/api core/v1 Toleration.ToleratesTaint), shared by several plugins. */

export interface Taint {
  key: string;
  value?: string;
  effect: string;
}

export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
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

export function tolerationsTolerateTaint(tolerations: readonly Toleration[] | undefined, taint: Taint): boolean {
  return (tolerations ?? []).some((t) => toleratesTaint(t, taint));
}

/** The first taint passing `filter` that no toleration tolerates (upstream's FindMatchingUntoleratedTaint). */
export function findUntoleratedTaint(
  taints: readonly Taint[] | undefined,
  tolerations: readonly Toleration[] | undefined,
  filter: (t: Taint) => boolean,
): Taint | undefined {
  return (taints ?? []).find((t) => filter(t) && !tolerationsTolerateTaint(tolerations, t));
}

export function taintsOf(node: { spec?: { taints?: unknown } }): Taint[] {
  return Array.isArray(node.spec?.taints) ? (node.spec.taints as Taint[]) : [];
}

export function tolerationsOf(pod: { spec?: { tolerations?: unknown } }): Toleration[] {
  return Array.isArray(pod.spec?.tolerations) ? (pod.spec.tolerations as Toleration[]) : [];
}
