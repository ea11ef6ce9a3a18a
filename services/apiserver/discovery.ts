import type { ResourceInfo } from '../../shared/api/resource';
import { apiVersionOf } from '../../shared/api/resource';

/** Legacy discovery documents (`/api`, `/apis`, `/api/v1`, `/apis/{group}/{version}`), as kubectl reads them. */

export const KUBERNETES_VERSION = { major: '1', minor: '32', gitVersion: 'v1.32.0-kubeq' };

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

const SUBRESOURCE_SHAPES: Record<string, { kind: string; group?: string; version?: string; verbs: string[] }> = {
  status: { kind: '', verbs: ['get', 'patch', 'update'] },
  scale: { kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] },
  binding: { kind: 'Binding', verbs: ['create'] },
  eviction: { kind: 'Eviction', group: 'policy', version: 'v1', verbs: ['create'] },
  finalize: { kind: '', verbs: ['update'] },
};

export function versionInfo() {
  return {
    ...KUBERNETES_VERSION,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: `node${process.versions.node}`,
    compiler: 'kubeq',
    platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
  };
}

export function coreVersions(serverAddress: string) {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

export function groupList(resources: ResourceInfo[]) {
  const groups = new Map<string, Set<string>>();
  for (const r of resources) {
    if (!r.group) continue;
    if (!groups.has(r.group)) groups.set(r.group, new Set());
    groups.get(r.group)!.add(r.version);
  }
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [...groups].map(([name, versions]) => {
      const list = [...versions].map((version) => ({ groupVersion: `${name}/${version}`, version }));
      return { name, versions: list, preferredVersion: list[0] };
    }),
  };
}

export function hasGroupVersion(resources: ResourceInfo[], group: string, version: string): boolean {
  return resources.some((r) => r.group === group && r.version === version);
}

export function resourceList(resources: ResourceInfo[], group: string, version: string) {
  const out: Record<string, unknown>[] = [];
  for (const r of resources.filter((x) => x.group === group && x.version === version)) {
    out.push({
      name: r.resource,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: VERBS,
      ...(r.shortNames?.length ? { shortNames: r.shortNames } : {}),
      ...(r.categories?.length ? { categories: r.categories } : {}),
    });
    for (const sub of r.subresources) {
      const shape = SUBRESOURCE_SHAPES[sub] ?? { kind: r.kind, verbs: ['get'] };
      out.push({
        name: `${r.resource}/${sub}`,
        singularName: '',
        namespaced: r.namespaced,
        ...(shape.group ? { group: shape.group, version: shape.version } : {}),
        kind: shape.kind || r.kind,
        verbs: shape.verbs,
      });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersionOf({ group, version }), resources: out };
}
