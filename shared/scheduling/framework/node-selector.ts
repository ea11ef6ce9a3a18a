/**
 * Node selector matching (k8s.io/component-helpers nodeaffinity): spec.nodeSelector is an
 * exact label match; a NodeSelector's terms are ORed, a term's requirements ANDed; an empty
 * term matches nothing; a term whose requirement cannot be parsed matches nothing.
 */
import type { KubeObject } from '../../api/types';

export interface NodeSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

export interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[];
  matchFields?: NodeSelectorRequirement[];
}

export interface PreferredSchedulingTerm {
  weight: number;
  preference: NodeSelectorTerm;
}

const INT = /^[+-]?\d+$/;

/** One requirement against a label set: In, NotIn, Exists, DoesNotExist, Gt, Lt (integers). Undefined when malformed. */
export function requirementMatches(req: NodeSelectorRequirement, labels: Record<string, string>): boolean | undefined {
  const values = req.values ?? [];
  const has = Object.prototype.hasOwnProperty.call(labels, req.key);
  switch (req.operator) {
    case 'In':
      return values.length === 0 ? undefined : has && values.includes(labels[req.key]);
    case 'NotIn':
      return values.length === 0 ? undefined : !has || !values.includes(labels[req.key]);
    case 'Exists':
      return values.length > 0 ? undefined : has;
    case 'DoesNotExist':
      return values.length > 0 ? undefined : !has;
    case 'Gt':
    case 'Lt': {
      if (values.length !== 1 || !INT.test(values[0])) return undefined;
      if (!has || !INT.test(labels[req.key])) return false;
      const [actual, bound] = [BigInt(labels[req.key]), BigInt(values[0])];
      return req.operator === 'Gt' ? actual > bound : actual < bound;
    }
    default:
      return undefined;
  }
}

/** matchFields supports only `metadata.name` with In or NotIn. */
function fieldMatches(req: NodeSelectorRequirement, node: KubeObject): boolean | undefined {
  if (req.key !== 'metadata.name' || (req.operator !== 'In' && req.operator !== 'NotIn')) return undefined;
  if ((req.values ?? []).length !== 1) return undefined;
  return requirementMatches(req, { 'metadata.name': node.metadata.name ?? '' });
}

export function termMatches(term: NodeSelectorTerm | undefined, node: KubeObject): boolean {
  const exprs = term?.matchExpressions ?? [];
  const fields = term?.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  const labels = node.metadata.labels ?? {};
  return exprs.every((r) => requirementMatches(r, labels) === true) && fields.every((r) => fieldMatches(r, node) === true);
}

/** spec.nodeSelector and requiredDuringSchedulingIgnoredDuringExecution both hold. */
export function requiredNodeAffinityMatches(pod: KubeObject, node: KubeObject): boolean {
  const labels = node.metadata.labels ?? {};
  const selector: Record<string, string> = pod.spec?.nodeSelector ?? {};
  if (!Object.entries(selector).every(([k, v]) => labels[k] === v)) return false;
  const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (!required) return true;
  const terms: NodeSelectorTerm[] = required.nodeSelectorTerms ?? [];
  return terms.some((t) => termMatches(t, node));
}

/** Sum of the weights of the preferred terms the node matches (zero-weight terms skipped). */
export function preferredScore(pod: KubeObject, node: KubeObject): number {
  const terms: PreferredSchedulingTerm[] = pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
  return terms.reduce((sum, t) => (t.weight && termMatches(t.preference, node) ? sum + t.weight : sum), 0);
}
