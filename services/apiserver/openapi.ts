import { createHash } from 'node:crypto';
import type { ResourceInfo } from '../../shared/api/resource';

/**
 * OpenAPI v3 discovery, as far as clients need it to use server-side validation: each object
 * path declares its PATCH operation with the `fieldValidation` query parameter and the
 * `x-kubernetes-group-version-kind` extension. kubectl (`--validate`, the default) checks
 * exactly that, then sends `fieldValidation=Strict` and lets the server refuse unknown fields,
 * instead of validating against the schemas itself. Component schemas are not published yet.
 */

const QUERY = (name: string) => ({ name, in: 'query', schema: { type: 'string' }, uniqueItems: true });
const WRITE_PARAMETERS = ['dryRun', 'fieldManager', 'fieldValidation'].map(QUERY);

function groupVersionPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

function objectPath(info: ResourceInfo): string {
  const base = `/${groupVersionPath(info.group, info.version)}`;
  return info.namespaced ? `${base}/namespaces/{namespace}/${info.resource}/{name}` : `${base}/${info.resource}/{name}`;
}

function collectionPath(info: ResourceInfo): string {
  const base = `/${groupVersionPath(info.group, info.version)}`;
  return info.namespaced ? `${base}/namespaces/{namespace}/${info.resource}` : `${base}/${info.resource}`;
}

function operation(info: ResourceInfo, action: string) {
  return {
    operationId: `${action}${info.kind}`,
    parameters: WRITE_PARAMETERS,
    responses: { '200': { description: 'OK' } },
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': { group: info.group, version: info.version, kind: info.kind },
  };
}

export function groupVersionDocument(resources: ResourceInfo[], group: string, version: string) {
  const paths: Record<string, unknown> = {};
  for (const info of resources.filter((r) => r.group === group && r.version === version)) {
    paths[collectionPath(info)] = { post: operation(info, 'post') };
    paths[objectPath(info)] = { put: operation(info, 'put'), patch: operation(info, 'patch') };
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.32.0' }, paths, components: { schemas: {} } };
}

export function openApiRoot(resources: ResourceInfo[]) {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  const seen = new Set<string>();
  for (const r of resources) {
    const gv = groupVersionPath(r.group, r.version);
    if (seen.has(gv)) continue;
    seen.add(gv);
    const hash = createHash('sha512').update(JSON.stringify(groupVersionDocument(resources, r.group, r.version))).digest('hex').slice(0, 64).toUpperCase();
    paths[gv] = { serverRelativeURL: `/openapi/v3/${gv}?hash=${hash}` };
  }
  return { paths };
}

/** `/openapi/v3` and `/openapi/v3/{api/v1 | apis/group/version}`; undefined for other paths. */
export function openApiDocument(resources: ResourceInfo[], path: string): unknown {
  const rest = path.replace(/^\/openapi\/v3\/?/, '').replace(/\/+$/, '');
  if (rest === '') return openApiRoot(resources);
  const parts = rest.split('/');
  if (parts[0] === 'api' && parts.length === 2) return resources.some((r) => !r.group && r.version === parts[1]) ? groupVersionDocument(resources, '', parts[1]) : undefined;
  if (parts[0] === 'apis' && parts.length === 3) return resources.some((r) => r.group === parts[1] && r.version === parts[2]) ? groupVersionDocument(resources, parts[1], parts[2]) : undefined;
  return undefined;
}
