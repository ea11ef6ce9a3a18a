/**
 * Pod and pod-template defaulting: SetDefaults_PodSpec, SetDefaults_Container, SetDefaults_Probe,
 * SetDefaults_Volume and friends (pkg/apis/core/v1/defaults.go plus the declarative defaults in
 * zz_generated.defaults.go). Idempotent; runs on create and on every update.
 */
import { Quantity } from '../quantity';
import { ensureObject, isObject, objectsOf, setDefault, setDefaultNumber, setDefaultString } from './common';
import { asString } from '../validation/field';
import { defaultTolerationSeconds } from './pod-tolerations';

/** Every volume source key; a volume with none of them defaults to `emptyDir: {}`. */
export const VOLUME_SOURCES = [
  'hostPath', 'emptyDir', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'secret', 'nfs', 'iscsi', 'glusterfs',
  'persistentVolumeClaim', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'downwardAPI', 'fc', 'azureFile', 'configMap',
  'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'projected', 'portworxVolume', 'scaleIO', 'storageos',
  'csi', 'ephemeral', 'image',
]; // prettier-ignore

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;

/** The tag ParseImageName finds: `latest` when neither tag nor digest is given, '' when unparsable. */
export function imageTag(image: string): string {
  const at = image.indexOf('@');
  const digest = at >= 0 ? image.slice(at + 1) : '';
  let name = at >= 0 ? image.slice(0, at) : image;
  let tag = '';
  const colon = name.lastIndexOf(':');
  if (colon > name.lastIndexOf('/')) {
    tag = name.slice(colon + 1);
    name = name.slice(0, colon);
    if (!TAG.test(tag)) return '';
  }
  const parts = name.split('/');
  if (parts.length > 1 && (/[.:]/.test(parts[0]) || parts[0] === 'localhost' || /[A-Z]/.test(parts[0]))) parts.shift();
  if (parts.some((p) => !PATH_COMPONENT.test(p))) return '';
  return tag === '' && digest === '' ? 'latest' : tag;
}

/** `Always` for `:latest` (or no tag), else `IfNotPresent`. */
export function defaultPullPolicy(image: string): 'Always' | 'IfNotPresent' {
  return imageTag(image) === 'latest' ? 'Always' : 'IfNotPresent';
}

/** SetDefaults_ResourceList: valid quantities rounded up to milli and written canonically. */
export function defaultResourceList(list: unknown): void {
  if (!isObject(list)) return;
  for (const [name, value] of Object.entries(list)) {
    try {
      list[name] = Quantity.parse(value as string | number).roundUpMilli().toString();
    } catch {
      // left as written; validation reports it
    }
  }
}

function defaultFieldRef(holder: Record<string, any>): void {
  if (isObject(holder.fieldRef)) setDefaultString(holder.fieldRef, 'apiVersion', 'v1');
}

/** HTTPGetAction path `/` and scheme HTTP; GRPCAction service ''. */
function defaultHandler(handler: unknown): void {
  if (!isObject(handler)) return;
  if (isObject(handler.httpGet)) {
    setDefaultString(handler.httpGet, 'path', '/');
    setDefaultString(handler.httpGet, 'scheme', 'HTTP');
  }
  if (isObject(handler.grpc)) setDefault(handler.grpc, 'service', '');
}

function defaultProbe(probe: unknown): void {
  if (!isObject(probe)) return;
  setDefaultNumber(probe, 'timeoutSeconds', 1);
  setDefaultNumber(probe, 'periodSeconds', 10);
  setDefaultNumber(probe, 'successThreshold', 1);
  setDefaultNumber(probe, 'failureThreshold', 3);
  defaultHandler(probe);
}

export function defaultContainer(c: Record<string, any>): void {
  if (!c.imagePullPolicy) c.imagePullPolicy = defaultPullPolicy(asString(c.image ?? ''));
  setDefaultString(c, 'terminationMessagePath', '/dev/termination-log');
  setDefaultString(c, 'terminationMessagePolicy', 'File');
  for (const port of objectsOf(c.ports)) setDefaultString(port, 'protocol', 'TCP');
  for (const env of objectsOf(c.env)) if (isObject(env.valueFrom)) defaultFieldRef(env.valueFrom);
  if (isObject(c.resources)) {
    defaultResourceList(c.resources.limits);
    defaultResourceList(c.resources.requests);
  }
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  if (isObject(c.lifecycle)) {
    defaultHandler(c.lifecycle.postStart);
    defaultHandler(c.lifecycle.preStop);
  }
}

export function defaultVolume(v: Record<string, any>): void {
  if (!VOLUME_SOURCES.some((s) => v[s] !== undefined && v[s] !== null)) v.emptyDir = {};
  for (const source of ['secret', 'configMap', 'downwardAPI', 'projected']) if (isObject(v[source])) setDefault(v[source], 'defaultMode', 420);
  if (isObject(v.downwardAPI)) objectsOf(v.downwardAPI.items).forEach(defaultFieldRef);
  if (isObject(v.projected)) {
    for (const s of objectsOf(v.projected.sources)) {
      if (isObject(s.serviceAccountToken)) setDefault(s.serviceAccountToken, 'expirationSeconds', 3600);
      if (isObject(s.downwardAPI)) objectsOf(s.downwardAPI.items).forEach(defaultFieldRef);
    }
  }
  if (isObject(v.hostPath)) setDefault(v.hostPath, 'type', '');
  if (isObject(v.ephemeral?.volumeClaimTemplate?.spec)) setDefault(v.ephemeral.volumeClaimTemplate.spec, 'volumeMode', 'Filesystem');
}

/** Defaults shared by Pods and pod templates (SetDefaults_PodSpec and the per-field defaults). */
export function defaultPodSpec(spec: Record<string, any>): void {
  setDefaultString(spec, 'dnsPolicy', 'ClusterFirst');
  setDefaultString(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'securityContext', {});
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  setDefaultString(spec, 'schedulerName', 'default-scheduler');
  objectsOf(spec.volumes).forEach(defaultVolume);
  for (const list of ['initContainers', 'containers', 'ephemeralContainers']) objectsOf(spec[list]).forEach(defaultContainer);
  defaultResourceList(spec.overhead);
  if (isObject(spec.resources)) {
    defaultResourceList(spec.resources.limits);
    defaultResourceList(spec.resources.requests);
  }
}

/** SetDefaults_Pod: requests default to limits, service links on, host-network ports mirrored. */
function defaultPodOnly(spec: Record<string, any>): void {
  for (const c of [...objectsOf(spec.containers), ...objectsOf(spec.initContainers)]) {
    if (!isObject(c.resources) || !isObject(c.resources.limits)) continue;
    const requests = ensureObject(c.resources, 'requests');
    for (const [name, value] of Object.entries(c.resources.limits)) if (!(name in requests)) requests[name] = value;
  }
  setDefault(spec, 'enableServiceLinks', true);
  if (spec.hostNetwork === true) {
    for (const c of [...objectsOf(spec.containers), ...objectsOf(spec.initContainers)]) {
      for (const port of objectsOf(c.ports)) if (!port.hostPort) port.hostPort = port.containerPort;
    }
  }
}

const SYSTEM_PRIORITIES: Record<string, number> = { '': 0, 'system-cluster-critical': 2000000000, 'system-node-critical': 2000001000 };

/**
 * All Pod defaults: SetDefaults_Pod, the pod-spec defaults, what the Priority admission plugin
 * sets (priority from the class, 0 without one; preemptionPolicy PreemptLowerPriority), what the
 * DefaultTolerationSeconds admission plugin adds (not-ready and unreachable NoExecute tolerations
 * of 300 s) and the registry's initial status (phase Pending, qosClass).
 */
export function defaultPod(pod: Record<string, any>): void {
  const spec = ensureObject(pod, 'spec');
  defaultPodOnly(spec);
  defaultPodSpec(spec);
  const classPriority = SYSTEM_PRIORITIES[asString(spec.priorityClassName ?? '')];
  if (classPriority !== undefined) setDefault(spec, 'priority', classPriority);
  setDefaultString(spec, 'preemptionPolicy', 'PreemptLowerPriority');
  defaultTolerationSeconds(spec);
  const status = ensureObject(pod, 'status');
  setDefaultString(status, 'phase', 'Pending');
  setDefaultString(status, 'qosClass', podQOSClass(spec));
}

function positive(value: unknown): Quantity | undefined {
  // Absent is the common case: no exception (and its stack) for it on every pod write.
  if (value === undefined || value === null || value === '') return undefined;
  try {
    const q = Quantity.parse(value as string | number);
    return q.sign() > 0 ? q : undefined;
  } catch {
    return undefined;
  }
}

/** qos.GetPodQOS over cpu and memory: Guaranteed, Burstable or BestEffort. */
export function podQOSClass(spec: Record<string, any>): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const requests = new Map<string, Quantity>();
  const limits = new Map<string, Quantity>();
  let guaranteed = true;
  const sum = (m: Map<string, Quantity>, k: string, q: Quantity) => m.set(k, m.has(k) ? m.get(k)!.add(q) : q);
  for (const c of [...objectsOf(spec.initContainers), ...objectsOf(spec.containers)]) {
    const res = isObject(c.resources) ? c.resources : {};
    const found = new Set<string>();
    for (const name of ['cpu', 'memory']) {
      const req = positive(res.requests?.[name]);
      if (req) sum(requests, name, req);
      const lim = positive(res.limits?.[name]);
      if (lim) {
        found.add(name);
        sum(limits, name, lim);
      }
    }
    if (found.size < 2) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) for (const [name, q] of requests) if (!limits.has(name) || limits.get(name)!.cmp(q) !== 0) guaranteed = false;
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}
