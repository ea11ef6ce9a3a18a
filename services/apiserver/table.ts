import type { Request } from 'express';
import { asServed, type ResourceInfo, type TableColumn } from '../../shared/api/resource';
import type { KubeObject } from '../../shared/api/types';

/** Server-side printing: `meta.k8s.io/v1` Tables, which `kubectl get` asks for. */

export function wantsTable(req: Request): boolean {
  const accept = (req.headers.accept ?? '').toLowerCase().replace(/\s+/g, '');
  return accept.split(',').some((part) => {
    const params = part.split(';');
    return params.includes('as=table') && (params.includes('g=meta.k8s.io') || !params.some((p) => p.startsWith('g=')));
  });
}

type IncludeObject = 'None' | 'Metadata' | 'Object';

export function includeObjectOf(req: Request): IncludeObject {
  const v = String(req.query.includeObject ?? 'Metadata');
  return v === 'None' || v === 'Object' ? v : 'Metadata';
}

function rowObject(obj: KubeObject, include: IncludeObject): unknown {
  if (include === 'None') return undefined;
  if (include === 'Object') return obj;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata };
}

export interface Table {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1';
  metadata: { resourceVersion?: string; continue?: string };
  columnDefinitions: TableColumn[];
  rows: { cells: unknown[]; object?: unknown }[];
}

export function toTable(info: ResourceInfo, objects: KubeObject[], include: IncludeObject, meta: Table['metadata'] = {}, withColumns = true): Table {
  const now = new Date();
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: meta,
    columnDefinitions: withColumns ? info.columns : [],
    rows: objects.map((obj) => {
      const object = rowObject(asServed(info, obj), include);
      return object === undefined ? { cells: info.row(obj, now) } : { cells: info.row(obj, now), object };
    }),
  };
}
