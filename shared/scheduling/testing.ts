/** Builders for tests (upstream's st.MakePod / st.MakeNode), kept small and literal. */
import type { KubeObject } from '../api/types';

export interface PodOptions {
  name?: string;
  namespace?: string;
  nodeName?: string;
  labels?: Record<string, string>;
  /** One container per entry, with these requests (`{ cpu: '1', memory: '1Gi' }`). */
  requests?: Record<string, string>[];
  /** Containers' images, one container each (added after `requests` containers). */
  images?: string[];
  spec?: Record<string, unknown>;
  phase?: string;
}

export function makePod(o: PodOptions = {}): KubeObject {
  const containers = [
    ...(o.requests ?? []).map((r, i) => ({ name: `c${i}`, image: 'pause', resources: { requests: r } })),
    ...(o.images ?? []).map((image, i) => ({ name: `i${i}`, image })),
  ];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: o.name ?? 'pod', namespace: o.namespace ?? 'default', labels: o.labels, uid: `uid-${o.name ?? 'pod'}` },
    spec: { containers, ...(o.nodeName ? { nodeName: o.nodeName } : {}), ...o.spec },
    status: { phase: o.phase ?? (o.nodeName ? 'Running' : 'Pending') },
  };
}

export interface NodeOptions {
  labels?: Record<string, string>;
  /** Allocatable resources (`{ cpu: '4', memory: '8Gi', pods: '110' }`). */
  allocatable?: Record<string, string>;
  taints?: { key: string; value?: string; effect: string }[];
  unschedulable?: boolean;
  images?: { names: string[]; sizeBytes: number }[];
}

export function makeNode(name: string, o: NodeOptions = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...o.labels } },
    spec: { ...(o.taints ? { taints: o.taints } : {}), ...(o.unschedulable ? { unschedulable: true } : {}) },
    status: { allocatable: o.allocatable ?? {}, capacity: o.allocatable ?? {}, ...(o.images ? { images: o.images } : {}) },
  };
}
