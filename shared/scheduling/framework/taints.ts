/** Taint helpers several plugins share, over shared/api/taints (k8s.io/api core/v1's Toleration.ToleratesTaint). */
import { nodeTaints, toleratesTaint, type Taint, type Toleration } from '../../api/taints';

export type { Taint, Toleration };

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

export const taintsOf = (node: { spec?: { taints?: unknown } }): Taint[] => nodeTaints(node);

export function tolerationsOf(pod: { spec?: { tolerations?: unknown } }): Toleration[] {
  return Array.isArray(pod.spec?.tolerations) ? (pod.spec.tolerations as Toleration[]) : [];
}
