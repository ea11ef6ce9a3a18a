/**
 * Pod resource requests as the scheduler sums them (k8s.io/component-helpers resource.PodRequests):
 * containers add up; each init container runs alone (plus the sidecars started before it), so the
 * pod needs the max of the two; restartable init containers (sidecars) also add to the total;
 * spec.overhead adds on top. cpu is in millicores, everything else in whole units (bytes, pods).
 */
import { parseQuantity } from '../../api/quantity';
import type { KubeObject } from '../../api/types';

export const CPU = 'cpu';
export const MEMORY = 'memory';
export const EPHEMERAL_STORAGE = 'ephemeral-storage';
export const PODS = 'pods';

/** Upstream's DefaultMilliCPURequest and DefaultMemoryRequest (100m, 200Mi): what scoring assumes for a container that requests nothing. */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

/** Resource name → amount (millicores for cpu, units for the rest). Absent means zero. */
export type ResourceList = Record<string, number>;

/**
 * Parsed lists by the object they were parsed from. Objects from the informer cache are never
 * mutated (an update replaces them), so a node's allocatable or a pod's spec is parsed once, not
 * once per scheduling cycle; results are frozen because callers share them.
 */
const parsedLists = new WeakMap<object, ResourceList>();
const parsedPods = [new WeakMap<object, ResourceList>(), new WeakMap<object, ResourceList>()];

/** Quantities of a Kubernetes ResourceList as numbers; unparsable entries count as zero. Frozen: callers share it. */
export function toResourceList(list: Record<string, unknown> | undefined | null): Readonly<ResourceList> {
  if (!list) return Object.freeze({});
  let out = parsedLists.get(list);
  if (!out) parsedLists.set(list, (out = Object.freeze(parseList(list))));
  return out;
}

function parseList(list: Record<string, unknown>): ResourceList {
  const out: ResourceList = {};
  for (const [name, q] of Object.entries(list ?? {})) {
    if (typeof q !== 'string' && typeof q !== 'number') continue;
    try {
      const quantity = parseQuantity(q);
      out[name] = name === CPU ? quantity.milliValue() : quantity.value();
    } catch {
      out[name] = 0;
    }
  }
  return out;
}

export function addInto(into: ResourceList, add: ResourceList): void {
  for (const [name, v] of Object.entries(add)) into[name] = (into[name] ?? 0) + v;
}

function maxInto(into: ResourceList, other: ResourceList): void {
  for (const [name, v] of Object.entries(other)) into[name] = Math.max(into[name] ?? 0, v);
}

export interface PodRequestOptions {
  /**
   * Scoring's view: a container that does not mention cpu (memory) counts as 100m (200Mi).
   * An explicit `0` stays zero. Default false (the Filter's view: exactly what was asked).
   */
  nonMissing?: boolean;
}

function containerRequests(container: Record<string, any>, opts: PodRequestOptions): ResourceList {
  const requests = { ...toResourceList(container?.resources?.requests) };
  if (opts.nonMissing) {
    if (!(CPU in requests)) requests[CPU] = DEFAULT_MILLI_CPU_REQUEST;
    if (!(MEMORY in requests)) requests[MEMORY] = DEFAULT_MEMORY_REQUEST;
  }
  return requests;
}

/** What `pod` asks of a node, per resource. Frozen: computed once per pod spec and shared. */
export function podRequests(pod: KubeObject, opts: PodRequestOptions = {}): Readonly<ResourceList> {
  const spec = pod.spec;
  if (!spec || typeof spec !== 'object') return sumRequests({}, opts);
  const memo = parsedPods[opts.nonMissing ? 1 : 0];
  let reqs = memo.get(spec);
  if (!reqs) memo.set(spec, (reqs = Object.freeze(sumRequests(spec, opts))));
  return reqs;
}

function sumRequests(spec: Record<string, any>, opts: PodRequestOptions): ResourceList {
  const reqs: ResourceList = {};
  for (const c of list(spec.containers)) addInto(reqs, containerRequests(c, opts));
  const restartable: ResourceList = {};
  const initMax: ResourceList = {};
  for (const c of list(spec.initContainers)) {
    const own = containerRequests(c, opts);
    if (c.restartPolicy === 'Always') {
      addInto(reqs, own);
      addInto(restartable, own);
      maxInto(initMax, restartable);
    } else {
      const during = { ...own };
      addInto(during, restartable);
      maxInto(initMax, during);
    }
  }
  maxInto(reqs, initMax);
  addInto(reqs, toResourceList(spec.overhead));
  return reqs;
}

function list(v: unknown): Record<string, any>[] {
  return Array.isArray(v) ? v.filter((x) => typeof x === 'object' && x !== null) : [];
}
