/**
 * A read-only API group served beside the object registry, as an aggregated API server serves
 * one (metrics-server's metrics.k8s.io, a metrics adapter's custom.metrics.k8s.io): its entry in
 * `/apis`, its discovery documents, GET only, and the path below its version for the group to
 * answer.
 */
import type { Request, Response } from 'express';
import { badRequest, StatusError } from '../../shared/api/status';
import { send } from './respond';

export interface GroupResource {
  name: string;
  namespaced: boolean;
  kind: string;
  verbs: string[];
}

export interface ReadOnlyGroup {
  /** Its entry in `/apis` (and its own `/apis/<group>` document). */
  entry: { name: string; versions: { groupVersion: string; version: string }[]; preferredVersion: { groupVersion: string; version: string } };
  groupVersion: string;
  resourceList: Record<string, unknown>;
}

export function readOnlyGroup(group: string, version: string, resources: GroupResource[]): ReadOnlyGroup {
  const groupVersion = `${group}/${version}`;
  const v = { groupVersion, version };
  return {
    entry: { name: group, versions: [v], preferredVersion: v },
    groupVersion,
    resourceList: { kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources: resources.map((r) => ({ name: r.name, singularName: '', namespaced: r.namespaced, kind: r.kind, verbs: r.verbs })) },
  };
}

/**
 * `undefined` when `path` is not the group's; `null` when it was a discovery request, now
 * answered; else the decoded path segments below `/apis/<group>/<version>/`. Throws 405 for
 * anything but GET.
 */
export function routeReadOnlyGroup(g: ReadOnlyGroup, req: Request, res: Response, path: string): string[] | null | undefined {
  const prefix = `/apis/${g.groupVersion}`;
  const groupPath = `/apis/${g.entry.name}`;
  if (path !== groupPath && path !== prefix && !path.startsWith(`${prefix}/`)) return undefined;
  if (req.method !== 'GET') throw new StatusError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
  if (path === groupPath) return send(req, res, 200, { kind: 'APIGroup', apiVersion: 'v1', ...g.entry }), null;
  if (path === prefix) return send(req, res, 200, g.resourceList), null;
  try {
    return path.slice(prefix.length + 1).split('/').map(decodeURIComponent);
  } catch {
    throw badRequest('malformed path');
  }
}
