/** The node heartbeat: a Lease per node in `kube-node-lease`, renewed every 10 s (upstream's defaults). */
import type { KubeObject } from '../../shared/api/types';

export const LEASE_NAMESPACE = 'kube-node-lease';
/** Upstream's nodeLeaseDurationSeconds. */
export const LEASE_DURATION_SECONDS = 40;
/** Upstream's renew interval: a quarter of the duration. */
export const LEASE_RENEW_MS = 10_000;

/** Kubernetes' MicroTime text: RFC 3339 with microseconds. */
export function microTime(at: Date): string {
  return at.toISOString().replace(/Z$/, '000Z');
}

/** A new lease for `node` (owned by the Node, so the garbage collector removes it with the node). */
export function nodeLease(node: KubeObject, at: Date): KubeObject {
  const name = node.metadata.name ?? '';
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name,
      namespace: LEASE_NAMESPACE,
      ...(node.metadata.uid ? { ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid: node.metadata.uid }] } : {}),
    },
    spec: { holderIdentity: name, leaseDurationSeconds: LEASE_DURATION_SECONDS, renewTime: microTime(at) },
  };
}

/** The renewed lease. */
export function renewLease(current: KubeObject, at: Date): KubeObject {
  return { ...current, spec: { ...current.spec, holderIdentity: current.metadata.name, leaseDurationSeconds: LEASE_DURATION_SECONDS, renewTime: microTime(at) } };
}
