/** ValidatePodSpec for Pods and pod templates, with upstream's wording and order. */
import { isIP } from 'node:net';
import type { FieldError } from '../status';
import { asString, child, duplicate, forbidden, goJSON, inclusiveRangeError, index, invalid, notSupported, required } from '../validation/field';
import { isValidLabelValue, validateLabelName, validateLabels } from '../validation/labels';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, nameIsDNSSubdomain } from '../validation/names';
import { isObject, objectsOf } from './common';
import { validateContainers, validateInitContainers, validateContainerCommon } from './container-validation';
import { validateResourceRequirements } from './resources-validation';
import { validateVolumes } from './volume-validation';

const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const PREEMPTION_POLICIES = ['PreemptLowerPriority', 'Never'];
const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const MAX_INT32 = 2147483647;

export interface PodSpecOptions {
  /** A Pod (not a template): host ports must equal container ports under hostNetwork. */
  isPod: boolean;
}

export function validateTolerations(tolerations: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  objectsOf(tolerations).forEach((t, i) => {
    const p = index(path, i);
    const key = asString(t.key ?? '');
    const op = asString(t.operator ?? '');
    if (key) errs.push(...validateLabelName(key, child(p, 'key')));
    if (!key && op !== 'Exists') {
      errs.push(invalid(child(p, 'operator'), op, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    }
    if (t.tolerationSeconds != null && t.effect !== 'NoExecute') {
      errs.push(invalid(child(p, 'effect'), t.effect ?? '', "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    if (op === 'Equal' || op === '') {
      const msgs = isValidLabelValue(asString(t.value ?? ''));
      if (msgs.length) errs.push(invalid(child(p, 'operator'), asString(t.value ?? ''), msgs.join(';')));
    } else if (op === 'Exists') {
      if (t.value) errs.push(invalid(child(p, 'operator'), t.value, "value must be empty when `operator` is 'Exists'"));
    } else errs.push(notSupported(child(p, 'operator'), op, ['Equal', 'Exists']));
    if (t.effect && !TAINT_EFFECTS.includes(t.effect)) errs.push(notSupported(child(p, 'effect'), t.effect, TAINT_EFFECTS));
  });
  return errs;
}

function enumField(value: unknown, path: string, valid: string[]): FieldError[] {
  if (value === undefined || value === null || value === '') return [required(path)];
  return valid.includes(asString(value)) ? [] : [notSupported(path, value, valid)];
}

function nameField(value: unknown, path: string, check: (v: string) => string[]): FieldError[] {
  return typeof value === 'string' && value.length > 0 ? check(value).map((m) => invalid(path, value, m)) : [];
}

function validateHostNetwork(spec: Record<string, any>, path: string, opts: PodSpecOptions): FieldError[] {
  if (spec.hostNetwork !== true) return [];
  return objectsOf(spec.containers).flatMap((c, ci) =>
    objectsOf(c.ports).flatMap((port, pi) => {
      const hp = port.hostPort ?? 0;
      if (!((opts.isPod || hp !== 0) && hp !== port.containerPort)) return [];
      const field = child(index(child(index(child(path, 'containers'), ci), 'ports'), pi), 'hostPort');
      return [invalid(field, hp, 'must match `containerPort` when `hostNetwork` is true')];
    }),
  );
}

function validateGates(spec: Record<string, any>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  objectsOf(spec.readinessGates).forEach((g, i) => {
    const p = child(index(child(path, 'readinessGates'), i), 'conditionType');
    errs.push(...isQualifiedName(asString(g.conditionType ?? '')).map((m) => invalid(p, g.conditionType ?? '', m)));
  });
  const seen = new Set<string>();
  objectsOf(spec.schedulingGates).forEach((g, i) => {
    const p = index(child(path, 'schedulingGates'), i);
    errs.push(...isQualifiedName(asString(g.name ?? '')).map((m) => invalid(p, g.name ?? '', m)));
    if (seen.has(g.name)) errs.push(duplicate(p, g.name));
    seen.add(g.name);
  });
  return errs;
}

function validateDNSConfig(spec: Record<string, any>, path: string): FieldError[] {
  if (spec.dnsPolicy === 'None') {
    if (!isObject(spec.dnsConfig)) return [required(path, 'must provide `dnsConfig` when `dnsPolicy` is None')];
    if (!Array.isArray(spec.dnsConfig.nameservers) || spec.dnsConfig.nameservers.length === 0) {
      return [required(child(path, 'nameservers'), 'must provide at least one DNS nameserver when `dnsPolicy` is None')];
    }
  }
  return [];
}

function validateHostAliases(aliases: unknown, path: string): FieldError[] {
  return objectsOf(aliases).flatMap((a, i) => {
    const p = index(path, i);
    const ip = asString(a.ip ?? '');
    const ipErrs = isIP(ip) ? [] : [invalid(child(p, 'ip'), ip, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)')];
    const hostErrs = (Array.isArray(a.hostnames) ? a.hostnames : []).flatMap((h: string, j: number) =>
      isDNS1123Subdomain(asString(h)).map((m) => invalid(index(child(p, 'hostnames'), j), h, m)),
    );
    return [...ipErrs, ...hostErrs];
  });
}

/** All errors of a pod spec at `path` (`spec` or `spec.template.spec`). */
export function validatePodSpec(spec: Record<string, any> | undefined, path: string, opts: PodSpecOptions): FieldError[] {
  const s = spec ?? {};
  const errs: FieldError[] = [];
  if (s.terminationGracePeriodSeconds == null) errs.push(required(child(path, 'terminationGracePeriodSeconds')));
  const volumes = validateVolumes(s.volumes, child(path, 'volumes'));
  errs.push(...volumes.errors);
  const ctx = { volumes: volumes.names, gracePeriod: typeof s.terminationGracePeriodSeconds === 'number' ? s.terminationGracePeriodSeconds : undefined };
  errs.push(...validateContainers(s.containers, ctx, child(path, 'containers')));
  errs.push(...validateInitContainers(s.initContainers, s.containers, ctx, child(path, 'initContainers')));
  objectsOf(s.ephemeralContainers).forEach((c, i) => errs.push(...validateContainerCommon(c, ctx, index(child(path, 'ephemeralContainers'), i))));
  errs.push(...validateHostNetwork(s, path, opts));
  errs.push(...enumField(s.restartPolicy, child(path, 'restartPolicy'), RESTART_POLICIES));
  errs.push(...enumField(s.dnsPolicy, child(path, 'dnsPolicy'), DNS_POLICIES));
  errs.push(...validateLabels(s.nodeSelector, child(path, 'nodeSelector')));
  objectsOf(s.imagePullSecrets).forEach((ref, i) => {
    if (Object.keys(ref).some((k) => k !== 'name')) {
      errs.push(invalid(index(child(path, 'imagePullSecrets'), i), goJSON({ Name: asString(ref.name) }), 'only name may be set'));
    }
  });
  errs.push(...validateDNSConfig(s, child(path, 'dnsConfig')));
  errs.push(...validateGates(s, path));
  errs.push(...nameField(s.serviceAccountName, child(path, 'serviceAccountName'), (v) => nameIsDNSSubdomain(v, false)));
  errs.push(...nameField(s.nodeName, child(path, 'nodeName'), (v) => nameIsDNSSubdomain(v, false)));
  if (typeof s.activeDeadlineSeconds === 'number' && (s.activeDeadlineSeconds < 1 || s.activeDeadlineSeconds > MAX_INT32)) {
    errs.push(invalid(child(path, 'activeDeadlineSeconds'), s.activeDeadlineSeconds, inclusiveRangeError(1, MAX_INT32)));
  }
  errs.push(...nameField(s.hostname, child(path, 'hostname'), isDNS1123Label));
  errs.push(...nameField(s.subdomain, child(path, 'subdomain'), isDNS1123Label));
  errs.push(...validateTolerations(s.tolerations, child(path, 'tolerations')));
  errs.push(...validateHostAliases(s.hostAliases, child(path, 'hostAliases')));
  errs.push(...nameField(s.priorityClassName, child(path, 'priorityClassName'), (v) => nameIsDNSSubdomain(v, false)));
  errs.push(...nameField(s.runtimeClassName, child(path, 'runtimeClassName'), (v) => nameIsDNSSubdomain(v, false)));
  if (s.preemptionPolicy != null) errs.push(...enumField(s.preemptionPolicy, child(path, 'preemptionPolicy'), PREEMPTION_POLICIES));
  if (isObject(s.overhead)) errs.push(...validateResourceRequirements({ limits: s.overhead }, child(path, 'overhead')));
  if (isObject(s.os)) {
    if (!s.os.name) errs.push(required(child(path, 'os', 'name'), 'cannot be empty'));
    else if (!['linux', 'windows'].includes(s.os.name)) errs.push(notSupported(child(path, 'os'), s.os.name, ['linux', 'windows']));
  }
  if (Array.isArray(s.ephemeralContainers) && s.ephemeralContainers.length && !opts.isPod) {
    errs.push(forbidden(child(path, 'ephemeralContainers'), 'ephemeral containers not allowed in pod template'));
  }
  return errs;
}
