import type { Request, Response } from 'express';
import { applyPatch } from '../../../shared/api/patch';
import type { ResourceInfo } from '../../../shared/api/resource';
import { badRequest, conflict, invalid, staleResourceVersion, StatusError } from '../../../shared/api/status';
import type { KubeObject } from '../../../shared/api/types';
import { evictPod } from '../../../shared/policy/eviction';
import { decodeObject } from '../codec';
import type { RequestInfo } from '../request';
import { send } from '../respond';
import type { ApiContext } from './context';
import { readPatch } from './write';
import { rfc3339 } from '../../../shared/api/time';

/** `autoscaling/v1` Scale of a workload: spec.replicas in, status.replicas and the selector out. */
export function scaleOf(obj: KubeObject): KubeObject {
  const m = obj.metadata;
  const selector = obj.spec?.selector?.matchLabels ?? {};
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp },
    spec: { replicas: obj.spec?.replicas ?? 0 },
    status: {
      replicas: obj.status?.replicas ?? 0,
      selector: Object.entries(selector).map(([k, v]) => `${k}=${String(v)}`).join(','),
    },
  };
}

function replicasFrom(scale: KubeObject, name: string): number {
  const replicas = scale?.spec?.replicas;
  if (!Number.isInteger(replicas) || replicas < 0) {
    throw invalid('Scale', 'autoscaling', name, [{ field: 'spec.replicas', type: 'FieldValueInvalid', detail: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0` }]);
  }
  return replicas as number;
}

export async function getScale(ctx: ApiContext, req: Request, res: Response, info: ResourceInfo, r: RequestInfo): Promise<void> {
  send(req, res, 200, scaleOf(await ctx.store.getOrThrow(info.resource, r.namespace, r.name!)));
}

/** PUT or PATCH of `/scale`: computes the wanted Scale from the current one, then writes spec.replicas. */
export async function writeScale(ctx: ApiContext, req: Request, res: Response, info: ResourceInfo, r: RequestInfo): Promise<void> {
  const patch = req.method === 'PATCH' ? readPatch(req) : undefined;
  const body = patch ? undefined : (decodeObject(req) as KubeObject);
  const updated = await ctx.store.guaranteedUpdate(info.resource, r.namespace, r.name!, (current) => {
    const scale = patch ? applyPatch(scaleOf(current), patch.patch, patch.type) : body!;
    const replicas = replicasFrom(scale, r.name!);
    const wanted = scale?.metadata?.resourceVersion;
    if (wanted && wanted !== current.metadata.resourceVersion) throw staleResourceVersion(info.resource, info.group, r.name!);
    current.spec = { ...current.spec, replicas };
    return current;
  });
  send(req, res, 200, scaleOf(updated));
}

/** POST `pods/{name}/binding`: assigns a pending pod to a node, once (409 when already bound). */
export async function bindPod(ctx: ApiContext, req: Request, res: Response, _info: ResourceInfo, r: RequestInfo): Promise<void> {
  const binding = decodeObject(req) as KubeObject;
  const nodeName = binding?.target?.name;
  if (typeof nodeName !== 'string' || nodeName === '') {
    throw invalid('Binding', '', r.name!, [{ field: 'target.name', type: 'FieldValueRequired', detail: 'Required value' }]);
  }
  await ctx.store.guaranteedUpdate('pods', r.namespace, r.name!, (pod) => {
    if (pod.metadata.deletionTimestamp) throw conflict('pods', '', r.name!, 'pod is being deleted, cannot be assigned to a host');
    if (pod.spec?.nodeName) throw conflict('pods', '', r.name!, `pod ${r.name} is already assigned to node "${pod.spec.nodeName}"`);
    pod.spec = { ...pod.spec, nodeName };
    const now = rfc3339(new Date());
    const conditions = (pod.status?.conditions ?? []).filter((c: { type: string }) => c.type !== 'PodScheduled');
    pod.status = { ...pod.status, conditions: [...conditions, { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: now }] };
    return pod;
  }, 'all');
  send(req, res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
}

/**
 * POST `pods/{name}/eviction` (policy/v1 Eviction): deletes the pod unless its
 * PodDisruptionBudget forbids it (429, shared/policy/eviction.ts). 201 with a Success Status.
 */
export async function evictPodHandler(ctx: ApiContext, req: Request, res: Response, _info: ResourceInfo, r: RequestInfo): Promise<void> {
  const eviction = decodeObject(req) as KubeObject;
  if (eviction?.metadata?.name && eviction.metadata.name !== r.name) throw badRequest(`name in URL does not match name in Eviction object`);
  const grace = eviction?.deleteOptions?.gracePeriodSeconds;
  await evictPod(ctx.store, r.namespace!, r.name!, { now: new Date(), ...(typeof grace === 'number' ? { gracePeriodSeconds: grace } : {}) });
  send(req, res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
}

/** PUT `namespaces/{name}/finalize`: replaces spec.finalizers; the namespace goes once none are left. */
export async function finalizeNamespace(ctx: ApiContext, req: Request, res: Response, _info: ResourceInfo, r: RequestInfo): Promise<void> {
  const body = decodeObject(req) as KubeObject;
  const finalizers = body?.spec?.finalizers ?? [];
  if (!Array.isArray(finalizers)) throw badRequest('spec.finalizers must be a list');
  const updated = await ctx.store.guaranteedUpdate('namespaces', undefined, r.name!, (ns) => {
    ns.spec = { ...ns.spec, finalizers };
    return ns;
  }, 'all');
  send(req, res, 200, updated);
}

export function unsupported(): never {
  throw new StatusError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
}
