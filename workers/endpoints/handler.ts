/**
 * Events → Service keys for the endpoints worker (upstream's endpointslice controller handlers):
 * a Service its own key; a pod the Services of its namespace that select it, before or after
 * the change (a pod that leaves a selector must leave its slices); an EndpointSlice or
 * Endpoints object its Service (someone else's edit is put right). Pod updates that change
 * nothing an endpoint shows enqueue nothing.
 */
import type { KubeObject, ObjectKey } from '../../shared/api/types';
import { selectorMatches } from '../../shared/api/validation/labels';
import { byResource, type KeyMapper } from '../../shared/informer/events';
import type { Indexer } from '../../shared/informer/indexer';
import { NAMESPACE_INDEX } from '../../shared/informer/indexers';
import { isPodReady } from './endpoint';
import { LABEL_SERVICE_NAME } from './slices';

/** What an endpoint built from the pod shows. */
function endpointView(pod: KubeObject): string {
  const s = pod.spec ?? {};
  return JSON.stringify([pod.metadata.labels, pod.metadata.deletionTimestamp, pod.status?.phase, pod.status?.podIP, isPodReady(pod), s.nodeName, s.hostname, s.subdomain, (s.containers ?? []).map((c: any) => c.ports)]);
}

/** The Service's selector selects these labels (a Service without a selector selects nothing). */
export function selects(service: KubeObject, labels: Record<string, string> | undefined): boolean {
  const selector = service.spec?.selector;
  return !!selector && Object.keys(selector).length > 0 && selectorMatches({ matchLabels: selector }, labels);
}

export function endpointsKeys(cache: () => Indexer | undefined): KeyMapper {
  const servicesSelecting = (pod: KubeObject | undefined): ObjectKey[] => {
    const ns = pod?.metadata.namespace;
    if (!pod || !ns) return [];
    return (cache()?.byIndex(NAMESPACE_INDEX, ns, 'services') ?? []).filter((svc) => selects(svc, pod.metadata.labels)).map((svc) => `services/${ns}/${svc.metadata.name}`);
  };
  const ofService = (ns: string | undefined, name: string | undefined): ObjectKey[] => (ns && name ? [`services/${ns}/${name}`] : []);
  return byResource({
    services: (e) => [e.key],
    pods: (e) => {
      if (e.type === 'MODIFIED' && e.oldObject && endpointView(e.oldObject) === endpointView(e.object)) return [];
      return [...new Set([...servicesSelecting(e.object), ...servicesSelecting(e.oldObject)])];
    },
    endpointslices: (e) => ofService(e.object.metadata.namespace, e.object.metadata.labels?.[LABEL_SERVICE_NAME]),
    endpoints: (e) => ofService(e.object.metadata.namespace, e.object.metadata.name),
  });
}
