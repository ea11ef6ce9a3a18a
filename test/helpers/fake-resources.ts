import type { ResourceInfo } from '../../shared/api/resource';
import type { FieldError } from '../../shared/api/status';
import type { KubeObject } from '../../shared/api/types';

/** Minimal strategies for store tests that must not depend on the full kind definitions. */
function info(resource: string, kind: string, extra: Partial<ResourceInfo> = {}): ResourceInfo {
  return {
    resource,
    singular: kind.toLowerCase(),
    kind,
    listKind: `${kind}List`,
    group: '',
    version: 'v1',
    namespaced: true,
    subresources: [],
    hasStatusSubresource: false,
    hasGeneration: false,
    defaults: () => undefined,
    validate: (obj: KubeObject): FieldError[] => (obj.metadata.name ? [] : [{ field: 'metadata.name', type: 'FieldValueRequired', detail: 'Required value: name or generateName is required' }]),
    columns: [],
    row: () => [],
    ...extra,
  };
}

const table: Record<string, ResourceInfo> = {
  configmaps: info('configmaps', 'ConfigMap'),
  pods: info('pods', 'Pod', {
    subresources: ['status'],
    hasStatusSubresource: true,
    defaultGracePeriodSeconds: (obj) => (obj.spec?.nodeName ? (obj.spec.terminationGracePeriodSeconds ?? 30) : 0),
  }),
  widgets: info('widgets', 'Widget', { group: 'example.com', hasGeneration: true, hasStatusSubresource: true, subresources: ['status'] }),
  nodes: info('nodes', 'Node', { namespaced: false }),
};

export const fakeResources = (resource: string): ResourceInfo | undefined => table[resource];
