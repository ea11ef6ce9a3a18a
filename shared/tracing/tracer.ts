import { context, SpanStatusCode, trace, type Attributes, type Link, type Span, type SpanKind } from '@opentelemetry/api';
import { objectKey } from '../api/types';
import { contextFromTraceparent } from './propagation';

/**
 * The tracing vocabulary every role uses: one tracer, the attribute names, and `withSpan`.
 * Works with or without a started SDK: without one, spans are non-recording and cost nothing.
 * Span names are low-cardinality (`store create`, `reconcile Deployment`); objects go in attributes.
 */
export const tracer = trace.getTracer('kubeq');

// OpenTelemetry Kubernetes semantic conventions (copied, as the spec advises for incubating names).
export const ATTR_K8S_NAMESPACE_NAME = 'k8s.namespace.name';
export const ATTR_K8S_POD_NAME = 'k8s.pod.name';
export const ATTR_K8S_POD_UID = 'k8s.pod.uid';
export const ATTR_K8S_NODE_NAME = 'k8s.node.name';
export const ATTR_K8S_CONTAINER_NAME = 'k8s.container.name';
export const ATTR_K8S_DEPLOYMENT_NAME = 'k8s.deployment.name';
export const ATTR_K8S_REPLICASET_NAME = 'k8s.replicaset.name';
export const ATTR_K8S_STATEFULSET_NAME = 'k8s.statefulset.name';
export const ATTR_K8S_DAEMONSET_NAME = 'k8s.daemonset.name';
export const ATTR_K8S_JOB_NAME = 'k8s.job.name';
export const ATTR_K8S_CRONJOB_NAME = 'k8s.cronjob.name';
export const ATTR_K8S_SERVICE_NAME = 'k8s.service.name';
export const ATTR_K8S_HPA_NAME = 'k8s.hpa.name';

// kubeq's own.
/** The object's resourceVersion after the write (or as read by a reconcile). */
export const ATTR_KUBEQ_RESOURCE_VERSION = 'kubeq.resource_version';
/** `resource/ns/name` (or `resource/name`): the span sink indexes traces by it, so set it on writes and reconciles. */
export const ATTR_KUBEQ_OBJECT_KEY = 'kubeq.object_key';
/** Plural resource name: `pods`, `deployments`. */
export const ATTR_KUBEQ_RESOURCE = 'kubeq.resource';
/** Change type: `ADDED`, `MODIFIED`, `DELETED`. */
export const ATTR_KUBEQ_EVENT_TYPE = 'kubeq.event_type';

/** Which `k8s.*.name` attribute names an object of each resource; resources absent here get only `kubeq.*`. */
const NAME_ATTRIBUTE: Readonly<Record<string, string>> = {
  pods: ATTR_K8S_POD_NAME,
  nodes: ATTR_K8S_NODE_NAME,
  namespaces: ATTR_K8S_NAMESPACE_NAME,
  deployments: ATTR_K8S_DEPLOYMENT_NAME,
  replicasets: ATTR_K8S_REPLICASET_NAME,
  statefulsets: ATTR_K8S_STATEFULSET_NAME,
  daemonsets: ATTR_K8S_DAEMONSET_NAME,
  jobs: ATTR_K8S_JOB_NAME,
  cronjobs: ATTR_K8S_CRONJOB_NAME,
  services: ATTR_K8S_SERVICE_NAME,
  horizontalpodautoscalers: ATTR_K8S_HPA_NAME,
  replicationcontrollers: 'k8s.replicationcontroller.name',
  resourcequotas: 'k8s.resourcequota.name',
  persistentvolumes: 'k8s.persistentvolume.name',
  persistentvolumeclaims: 'k8s.persistentvolumeclaim.name',
  storageclasses: 'k8s.storageclass.name',
};

/**
 * The attributes that name one object: `kubeq.resource`, `kubeq.object_key`, `k8s.namespace.name`
 * (namespaced objects) and the resource's `k8s.<kind>.name` when the conventions have one.
 */
export function objectAttributes(resource: string, namespace: string | undefined, name: string): Attributes {
  const attrs: Attributes = {
    [ATTR_KUBEQ_RESOURCE]: resource,
    [ATTR_KUBEQ_OBJECT_KEY]: objectKey(resource, namespace || undefined, name),
  };
  if (namespace) attrs[ATTR_K8S_NAMESPACE_NAME] = namespace;
  const nameAttr = NAME_ATTRIBUTE[resource];
  if (nameAttr) attrs[nameAttr] = name;
  return attrs;
}

export interface WithSpanOptions {
  attributes?: Attributes;
  /** Undefined entries are skipped, so `linkFromTraceparent(tp)` can be passed as is. */
  links?: (Link | undefined)[];
  /**
   * The parent, as a W3C `traceparent` carried by a change-log entry or a job. It replaces the
   * active span as parent; empty or malformed means the active context's span is the parent.
   */
  parentTraceparent?: string;
  kind?: SpanKind;
  /** Start a new trace even when a span is active. */
  root?: boolean;
}

/**
 * Runs `fn` inside a new active span and ends the span when `fn` returns or, for a promise,
 * settles. A throw or rejection is recorded on the span (exception event, status ERROR) and rethrown.
 */
export function withSpan<T>(name: string, options: WithSpanOptions, fn: (span: Span) => T): T {
  const parent = options.parentTraceparent ? contextFromTraceparent(options.parentTraceparent) : context.active();
  const links = options.links?.filter((l): l is Link => l !== undefined);
  const spanOptions = { attributes: options.attributes, links, kind: options.kind, root: options.root };
  return tracer.startActiveSpan(name, spanOptions, parent, (span) => {
    let result: T;
    try {
      result = fn(span);
    } catch (err) {
      recordError(span, err);
      span.end();
      throw err;
    }
    if (!isPromiseLike(result)) {
      span.end();
      return result;
    }
    return result.then(
      (value) => {
        span.end();
        return value;
      },
      (err: unknown) => {
        recordError(span, err);
        span.end();
        throw err;
      },
    ) as T;
  });
}

/** Marks `span` failed by `err`: an exception event and status ERROR with the message. */
export function recordError(span: Span, err: unknown): void {
  const error = err instanceof Error ? err : new Error(String(err));
  span.recordException(error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
