import type { Request, Response } from 'express';
import { servedResources } from '../../shared/api/registry';
import { StatusError } from '../../shared/api/status';
import { coreVersions, groupList, hasGroupVersion, resourceList } from './discovery';
import { customMetricsGroup, serveCustomMetricsApi } from './custom-metrics-api';
import { metricsGroup, serveMetricsApi } from './metrics-api';
import type { ApiContext } from './handlers/context';
import { getObject, listObjects } from './handlers/read';
import { bindPod, evictPodHandler, finalizeNamespace, getScale, unsupported, writeScale } from './handlers/subresources';
import { watchObjects } from './handlers/watch';
import { createObject, deleteCollection, deleteObject, patchObject, updateObject } from './handlers/write';
import { parseApiPath, resourceInfoFor, type RequestInfo } from './request';
import { send } from './respond';
import type { ResourceInfo } from '../../shared/api/resource';

type Handler = (ctx: ApiContext, req: Request, res: Response, info: ResourceInfo, r: RequestInfo) => Promise<void>;

const notFoundPath = () => new StatusError(404, 'NotFound', 'the server could not find the requested resource');

/** Picks the handler for a method on a collection, an object or a subresource; 405 when none. */
function route(method: string, r: RequestInfo): Handler {
  if (r.watch) {
    if (method !== 'GET' || r.subresource) unsupported();
    return watchObjects;
  }
  if (!r.name) {
    const collection: Record<string, Handler> = { GET: listObjects, POST: createObject, DELETE: deleteCollection };
    return collection[method] ?? unsupported();
  }
  switch (r.subresource) {
    case undefined: {
      const item: Record<string, Handler> = { GET: getObject, PUT: updateObject, PATCH: patchObject, DELETE: deleteObject };
      return item[method] ?? unsupported();
    }
    case 'status': {
      const status: Record<string, Handler> = { GET: getObject, PUT: updateObject, PATCH: patchObject };
      return status[method] ?? unsupported();
    }
    case 'scale': {
      const scale: Record<string, Handler> = { GET: getScale, PUT: writeScale, PATCH: writeScale };
      return scale[method] ?? unsupported();
    }
    case 'binding':
      return method === 'POST' ? bindPod : unsupported();
    case 'eviction':
      return method === 'POST' && r.resource === 'pods' ? evictPodHandler : unsupported();
    case 'finalize':
      return method === 'PUT' ? finalizeNamespace : unsupported();
    default:
      throw notFoundPath();
  }
}

/** Everything under `/api` and `/apis`: discovery documents and resource requests. */
export async function serveApi(ctx: ApiContext, req: Request, res: Response): Promise<void> {
  const path = req.path.replace(/\/+$/, '');
  if (path === '/api') {
    send(req, res, 200, coreVersions(req.headers.host ?? ''));
    return;
  }
  if (path === '/apis') {
    const list = groupList(servedResources);
    send(req, res, 200, { ...list, groups: [...list.groups, metricsGroup, customMetricsGroup] });
    return;
  }
  if (await serveMetricsApi(ctx, req, res, path)) return;
  if (await serveCustomMetricsApi(ctx, req, res, path)) return;
  const r = parseApiPath(path, req.query);
  if (!r) throw notFoundPath();
  if (!r.resource) {
    if (!hasGroupVersion(servedResources, r.group, r.version) || req.method !== 'GET') throw notFoundPath();
    send(req, res, 200, resourceList(servedResources, r.group, r.version));
    return;
  }
  const info = resourceInfoFor(r);
  if (!info.namespaced) r.namespace = undefined;
  await route(req.method, r)(ctx, req, res, info, r);
}
