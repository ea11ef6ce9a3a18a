/**
 * The DefaultTolerationSeconds admission plugin (plugin/pkg/admission/defaulttolerationseconds):
 * a pod that does not already tolerate the node controller's NoExecute taints gets
 *
 *     - { key: node.kubernetes.io/not-ready,   operator: Exists, effect: NoExecute, tolerationSeconds: 300 }
 *     - { key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 300 }
 *
 * so its pods stay five minutes on a node that stops answering before the taint-eviction
 * controller deletes them. Upstream runs it on pod create and update (not on subresources); here
 * it is part of the Pod defaults, which every write runs, so pods created by controllers through
 * the store get them as pods created through the API do.
 */
import { TAINT_NODE_NOT_READY, TAINT_NODE_UNREACHABLE, type Toleration } from '../taints';
import { objectsOf } from './common';

/** Upstream's --default-not-ready-toleration-seconds and --default-unreachable-toleration-seconds. */
export const DEFAULT_TOLERATION_SECONDS = 300;

/** A toleration already covers the key's NoExecute taint when its key is that key or empty and its effect NoExecute or empty (upstream's test; the operator is not looked at). */
function covers(t: Toleration, key: string): boolean {
  return (t.key === key || !t.key) && (t.effect === 'NoExecute' || !t.effect);
}

/** Adds the missing default tolerations to a pod spec, not-ready first, in place. */
export function defaultTolerationSeconds(spec: Record<string, any>): void {
  const tolerations = objectsOf(spec.tolerations) as Toleration[];
  const missing = [TAINT_NODE_NOT_READY, TAINT_NODE_UNREACHABLE].filter((key) => !tolerations.some((t) => covers(t, key)));
  if (missing.length === 0) return;
  const added = missing.map((key) => ({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: DEFAULT_TOLERATION_SECONDS }));
  spec.tolerations = [...(Array.isArray(spec.tolerations) ? spec.tolerations : []), ...added];
}
