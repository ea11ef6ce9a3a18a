/**
 * Request bodies in Kubernetes' protobuf encoding (`application/vnd.kubernetes.protobuf`), which
 * kubectl's typed commands send (`kubectl autoscale`, `kubectl create service …`): the `k8s\0`
 * magic, a runtime.Unknown envelope with the TypeMeta, and the object's message, decoded with
 * protobufjs from the field numbers of upstream's generated.proto files (the fields the kinds'
 * imperative kubectl commands set, and the rest of their specs). Only the kinds listed in KINDS
 * are decoded (`kubectl autoscale`, `create namespace|configmap|secret|service|pdb`); others
 * get a 415 that says so. Responses stay JSON (kubectl accepts it).
 */
import protobuf from 'protobufjs';
import { badRequest, StatusError } from '../../shared/api/status';
import { rfc3339 } from '../../shared/api/time';

export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

// Field numbers as in k8s.io/apimachinery and k8s.io/api generated.proto (proto2).
const SCHEMA = `
syntax = "proto2";
package k8s;
message TypeMeta { optional string apiVersion = 1; optional string kind = 2; }
message Unknown { optional TypeMeta typeMeta = 1; optional bytes raw = 2; optional string contentEncoding = 3; optional string contentType = 4; }
message Time { optional int64 seconds = 1; optional int32 nanos = 2; }
message OwnerReference { optional string kind = 1; optional string name = 3; optional string uid = 4; optional string apiVersion = 5; optional bool controller = 6; optional bool blockOwnerDeletion = 7; }
message ObjectMeta {
  optional string name = 1; optional string generateName = 2; optional string namespace = 3; optional string selfLink = 4;
  optional string uid = 5; optional string resourceVersion = 6; optional int64 generation = 7;
  optional Time creationTimestamp = 8; optional Time deletionTimestamp = 9; optional int64 deletionGracePeriodSeconds = 10;
  map<string, string> labels = 11; map<string, string> annotations = 12; repeated OwnerReference ownerReferences = 13; repeated string finalizers = 14;
}
message CrossVersionObjectReference { optional string kind = 1; optional string name = 2; optional string apiVersion = 3; }
message HorizontalPodAutoscalerSpecV1 { optional CrossVersionObjectReference scaleTargetRef = 1; optional int32 minReplicas = 2; optional int32 maxReplicas = 3; optional int32 targetCPUUtilizationPercentage = 4; }
message HorizontalPodAutoscalerStatusV1 { optional int64 observedGeneration = 1; optional Time lastScaleTime = 2; optional int32 currentReplicas = 3; optional int32 desiredReplicas = 4; optional int32 currentCPUUtilizationPercentage = 5; }
message HorizontalPodAutoscalerV1 { optional ObjectMeta metadata = 1; optional HorizontalPodAutoscalerSpecV1 spec = 2; optional HorizontalPodAutoscalerStatusV1 status = 3; }
message IntOrString { optional int64 type = 1; optional int32 intVal = 2; optional string strVal = 3; }
message LabelSelectorRequirement { optional string key = 1; optional string operator = 2; repeated string values = 3; }
message LabelSelector { map<string, string> matchLabels = 1; repeated LabelSelectorRequirement matchExpressions = 2; }
message NamespaceSpec { repeated string finalizers = 1; }
message Namespace { optional ObjectMeta metadata = 1; optional NamespaceSpec spec = 2; }
message ConfigMap { optional ObjectMeta metadata = 1; map<string, string> data = 2; map<string, bytes> binaryData = 3; optional bool immutable = 4; }
message Secret { optional ObjectMeta metadata = 1; map<string, bytes> data = 2; optional string type = 3; map<string, string> stringData = 4; optional bool immutable = 5; }
message ServicePort { optional string name = 1; optional string protocol = 2; optional int32 port = 3; optional IntOrString targetPort = 4; optional int32 nodePort = 5; optional string appProtocol = 6; }
message ClientIPConfig { optional int32 timeoutSeconds = 1; }
message SessionAffinityConfig { optional ClientIPConfig clientIP = 1; }
message ServiceSpec {
  repeated ServicePort ports = 1; map<string, string> selector = 2; optional string clusterIP = 3; optional string type = 4; repeated string externalIPs = 5;
  optional string sessionAffinity = 7; optional string loadBalancerIP = 8; repeated string loadBalancerSourceRanges = 9; optional string externalName = 10;
  optional string externalTrafficPolicy = 11; optional int32 healthCheckNodePort = 12; optional bool publishNotReadyAddresses = 13; optional SessionAffinityConfig sessionAffinityConfig = 14;
  optional string ipFamilyPolicy = 17; repeated string clusterIPs = 18; repeated string ipFamilies = 19; optional bool allocateLoadBalancerNodePorts = 20;
  optional string loadBalancerClass = 21; optional string internalTrafficPolicy = 22;
}
message Service { optional ObjectMeta metadata = 1; optional ServiceSpec spec = 2; }
message PodDisruptionBudgetSpec { optional IntOrString minAvailable = 1; optional LabelSelector selector = 2; optional IntOrString maxUnavailable = 3; optional string unhealthyPodEvictionPolicy = 4; }
message PodDisruptionBudget { optional ObjectMeta metadata = 1; optional PodDisruptionBudgetSpec spec = 2; }
`;

const root = protobuf.parse(SCHEMA, { keepCase: true }).root;
const unknownType = root.lookupType('k8s.Unknown');
const timeType = root.lookupType('k8s.Time');

/** `apiVersion/Kind` → the message its raw bytes hold. */
const KINDS: Record<string, protobuf.Type> = {
  'autoscaling/v1/HorizontalPodAutoscaler': root.lookupType('k8s.HorizontalPodAutoscalerV1'),
  'v1/Namespace': root.lookupType('k8s.Namespace'),
  'v1/ConfigMap': root.lookupType('k8s.ConfigMap'),
  'v1/Secret': root.lookupType('k8s.Secret'),
  'v1/Service': root.lookupType('k8s.Service'),
  'policy/v1/PodDisruptionBudget': root.lookupType('k8s.PodDisruptionBudget'),
};

/** Fields of type IntOrString: `{ type, intVal, strVal }` on the wire, a number or a string in JSON. */
const INT_OR_STRING_FIELDS = new Set(['targetPort', 'minAvailable', 'maxUnavailable']);

const TIME_FIELDS = new Set(['creationTimestamp', 'deletionTimestamp', 'lastScaleTime', 'lastTransitionTime']);

/** metav1.Time's RFC 3339 form (seconds precision, as it marshals to JSON). */
function timeToString(t: { seconds?: number; nanos?: number }): string {
  return rfc3339((t.seconds ?? 0) * 1000);
}

/** Decoded messages to the JSON shapes: Time messages become strings, empty maps and lists go. */
function toJson(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.length ? value.map((v) => toJson(v)) : undefined;
  if (value === null || typeof value !== 'object') return value;
  if (TIME_FIELDS.has(key)) return timeToString(value as { seconds?: number; nanos?: number });
  if (INT_OR_STRING_FIELDS.has(key)) {
    const v = value as { type?: number; intVal?: number; strVal?: string };
    return v.type === 1 ? (v.strVal ?? '') : (v.intVal ?? 0);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const converted = toJson(v, k);
    if (converted === undefined) continue;
    if (typeof converted === 'object' && converted !== null && !Array.isArray(converted) && Object.keys(converted).length === 0 && (k === 'labels' || k === 'annotations')) continue;
    out[k] = converted;
  }
  return out;
}

/** The object in a protobuf request body, as the JSON the rest of the server works on (the caller sanitizes it). */
export function decodeProtobufObject(body: Buffer): unknown {
  if (body.length < MAGIC.length || !body.subarray(0, MAGIC.length).equals(MAGIC)) throw badRequest('provided object is not a protobuf-encoded Kubernetes object: missing the k8s magic prefix');
  let envelope: { typeMeta?: { apiVersion?: string; kind?: string }; raw?: Uint8Array };
  try {
    envelope = unknownType.toObject(unknownType.decode(body.subarray(MAGIC.length)), { longs: Number }) as typeof envelope;
  } catch (err) {
    throw badRequest(`unable to decode the protobuf body: ${(err as Error).message}`);
  }
  const apiVersion = envelope.typeMeta?.apiVersion ?? '';
  const kind = envelope.typeMeta?.kind ?? '';
  const type = KINDS[`${apiVersion}/${kind}`];
  if (!type) {
    const only = Object.keys(KINDS).map((k) => k.replace(/\/([^/]+)$/, ' $1')).join(', ');
    throw new StatusError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, and ${PROTOBUF_MEDIA_TYPE} for ${only} only; send ${kind || 'this object'} as application/json or application/yaml`);
  }
  let message: Record<string, unknown>;
  try {
    // bytes (Secret data, ConfigMap binaryData) as base64, as they are in JSON.
    message = type.toObject(type.decode(envelope.raw ?? new Uint8Array()), { longs: Number, bytes: String, defaults: false }) as Record<string, unknown>;
  } catch (err) {
    throw badRequest(`unable to decode the protobuf body as ${apiVersion} ${kind}: ${(err as Error).message}`);
  }
  return { apiVersion, kind, ...(toJson(message) as Record<string, unknown>) };
}

/** For tests: encodes a JSON object of a listed kind as kubectl would send it. */
export function encodeProtobufObject(obj: { apiVersion: string; kind: string } & Record<string, any>): Buffer {
  const type = KINDS[`${obj.apiVersion}/${obj.kind}`];
  if (!type) throw new Error(`no protobuf message for ${obj.apiVersion} ${obj.kind}`);
  const fromJson = (value: unknown, key = ''): unknown => {
    if (Array.isArray(value)) return value.map((v) => fromJson(v));
    if (TIME_FIELDS.has(key) && typeof value === 'string') return timeType.fromObject({ seconds: Math.floor(Date.parse(value) / 1000) });
    if (INT_OR_STRING_FIELDS.has(key)) return typeof value === 'string' ? { type: 1, strVal: value } : { type: 0, intVal: value };
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fromJson(v, k)]));
  };
  const { apiVersion, kind, ...rest } = obj;
  const raw = type.encode(type.fromObject(fromJson(rest) as Record<string, unknown>)).finish();
  const envelope = unknownType.encode(unknownType.fromObject({ typeMeta: { apiVersion, kind }, raw, contentEncoding: '', contentType: '' })).finish();
  return Buffer.concat([MAGIC, envelope]);
}
