/** Container validation (validateContainers, validateInitContainers and what they share) with upstream wording. */
import type { FieldError } from '../status';
import { asString, child, duplicate, forbidden, index, invalid, notFound, notSupported, required } from '../validation/field';
import { isConfigMapKey, isDNS1123Label, isRelaxedEnvVarName, isValidPortName, isValidPortNum } from '../validation/names';
import { isObject, objectsOf } from './common';
import { validateHandler, validateProbe } from './probe-validation';
import { validateResourceRequirements } from './resources-validation';

const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const TERMINATION_MESSAGE_POLICIES = ['File', 'FallbackToLogsOnError'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const INIT_ONLY = 'may not be set for init containers without restartPolicy=Always';

export interface ContainerContext {
  /** Volume names that validated, for volumeMounts. */
  volumes: Set<string>;
  /** The pod's terminationGracePeriodSeconds, for sleep handlers. */
  gracePeriod?: number;
}

function validatePorts(ports: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  objectsOf(ports).forEach((port, i) => {
    const p = index(path, i);
    if (port.name) {
      const msgs = isValidPortName(asString(port.name));
      if (msgs.length) errs.push(...msgs.map((m) => invalid(child(p, 'name'), port.name, m)));
      else if (names.has(port.name)) errs.push(duplicate(child(p, 'name'), port.name));
      else names.add(port.name);
    }
    if (!port.containerPort) errs.push(required(child(p, 'containerPort')));
    else errs.push(...isValidPortNum(port.containerPort).map((m) => invalid(child(p, 'containerPort'), port.containerPort, m)));
    if (port.hostPort) errs.push(...isValidPortNum(port.hostPort).map((m) => invalid(child(p, 'hostPort'), port.hostPort, m)));
    if (!port.protocol) errs.push(required(child(p, 'protocol')));
    else if (!PROTOCOLS.includes(port.protocol)) errs.push(notSupported(child(p, 'protocol'), port.protocol, PROTOCOLS));
  });
  return errs;
}

function validateKeySelector(sel: Record<string, any>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!sel.name) errs.push(required(child(path, 'name')));
  if (!sel.key) errs.push(required(child(path, 'key')));
  else errs.push(...isConfigMapKey(sel.key).map((m) => invalid(child(path, 'key'), sel.key, m)));
  return errs;
}

function validateValueFrom(env: Record<string, any>, path: string): FieldError[] {
  const from = env.valueFrom;
  if (!isObject(from)) return [];
  const sources = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef', 'fileKeyRef'].filter((s) => isObject(from[s]));
  const errs: FieldError[] = [];
  if (isObject(from.fieldRef) && !from.fieldRef.fieldPath) errs.push(required(child(path, 'fieldRef', 'fieldPath')));
  if (isObject(from.resourceFieldRef) && !from.resourceFieldRef.resource) errs.push(required(child(path, 'resourceFieldRef', 'resource')));
  for (const s of ['configMapKeyRef', 'secretKeyRef']) if (isObject(from[s])) errs.push(...validateKeySelector(from[s], child(path, s)));
  if (sources.length === 0) errs.push(invalid(path, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
  else if (env.value) errs.push(invalid(path, '', 'may not be specified when `value` is not empty'));
  else if (sources.length > 1) errs.push(invalid(path, '', 'may not have more than one field specified at a time'));
  return errs;
}

function validateEnv(env: unknown, path: string): FieldError[] {
  return objectsOf(env).flatMap((ev, i) => {
    const p = index(path, i);
    const name = asString(ev.name ?? '');
    return [
      ...(name ? [] : [required(child(p, 'name'))]),
      ...isRelaxedEnvVarName(name).map((m) => invalid(child(p, 'name'), name, m)),
      ...validateValueFrom(ev, child(p, 'valueFrom')),
    ];
  });
}

function validateVolumeMounts(mounts: unknown, volumes: Set<string>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const paths = new Set<string>();
  objectsOf(mounts).forEach((m, i) => {
    const p = index(path, i);
    if (!m.name) errs.push(required(child(p, 'name')));
    if (!volumes.has(m.name)) errs.push(notFound(child(p, 'name'), m.name ?? ''));
    if (!m.mountPath) errs.push(required(child(p, 'mountPath')));
    if (paths.has(m.mountPath)) errs.push(invalid(child(p, 'mountPath'), m.mountPath, 'must be unique'));
    paths.add(m.mountPath);
  });
  return errs;
}

/** Checks every kind of container shares: name, image, ports, env, mounts, pull policy, resources. */
export function validateContainerCommon(c: Record<string, any>, ctx: ContainerContext, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!c.name) errs.push(required(child(path, 'name')));
  else errs.push(...isDNS1123Label(asString(c.name)).map((m) => invalid(child(path, 'name'), c.name, m)));
  if (!c.image) errs.push(required(child(path, 'image')));
  const tmp = c.terminationMessagePolicy;
  if (!tmp) errs.push(required(child(path, 'terminationMessagePolicy')));
  else if (!TERMINATION_MESSAGE_POLICIES.includes(tmp)) errs.push(notSupported(child(path, 'terminationMessagePolicy'), tmp, TERMINATION_MESSAGE_POLICIES));
  errs.push(...validatePorts(c.ports, child(path, 'ports')));
  errs.push(...validateEnv(c.env, child(path, 'env')));
  errs.push(...validateVolumeMounts(c.volumeMounts, ctx.volumes, child(path, 'volumeMounts')));
  if (!c.imagePullPolicy) errs.push(required(child(path, 'imagePullPolicy')));
  else if (!PULL_POLICIES.includes(c.imagePullPolicy)) errs.push(notSupported(child(path, 'imagePullPolicy'), c.imagePullPolicy, PULL_POLICIES));
  errs.push(...validateResourceRequirements(c.resources, child(path, 'resources')));
  return errs;
}

function validateLifecycle(c: Record<string, any>, ctx: ContainerContext, path: string): FieldError[] {
  if (!isObject(c.lifecycle)) return [];
  const handlers = ['postStart', 'preStop'].filter((h) => isObject(c.lifecycle[h]));
  return handlers.flatMap((h) => validateHandler(c.lifecycle[h], ctx.gracePeriod, child(path, 'lifecycle', h), true));
}

function validateProbes(c: Record<string, any>, ctx: ContainerContext, path: string): FieldError[] {
  return [
    ...validateProbe(c.livenessProbe, 'liveness', ctx.gracePeriod, child(path, 'livenessProbe')),
    ...validateProbe(c.readinessProbe, 'readiness', ctx.gracePeriod, child(path, 'readinessProbe')),
    ...validateProbe(c.startupProbe, 'startup', ctx.gracePeriod, child(path, 'startupProbe')),
  ];
}

/** Host ports may not repeat (per protocol and host IP) across `containers`. */
export function checkHostPortConflicts(containers: Record<string, any>[], path: string, indexOffset = 0): FieldError[] {
  const seen = new Set<string>();
  const errs: FieldError[] = [];
  containers.forEach((c, ci) => {
    objectsOf(c.ports).forEach((port, pi) => {
      if (!port.hostPort) return;
      const id = `${port.protocol ?? ''}/${port.hostIP ?? ''}/${port.hostPort}`;
      if (seen.has(id)) errs.push(duplicate(child(index(child(index(path, ci + indexOffset), 'ports'), pi), 'hostPort'), id));
      seen.add(id);
    });
  });
  return errs;
}

/** spec.containers: at least one, unique names, probes and lifecycle allowed, no restartPolicy. */
export function validateContainers(containers: unknown, ctx: ContainerContext, path: string): FieldError[] {
  const list = objectsOf(containers);
  if (list.length === 0) return [required(path)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  list.forEach((c, i) => {
    const p = index(path, i);
    errs.push(...validateContainerCommon(c, ctx, p));
    if (names.has(c.name)) errs.push(duplicate(child(p, 'name'), c.name ?? ''));
    else names.add(c.name);
    errs.push(...validateLifecycle(c, ctx, p), ...validateProbes(c, ctx, p));
    if (c.restartPolicy != null) errs.push(forbidden(child(p, 'restartPolicy'), 'may not be set for non-init containers'));
  });
  return [...errs, ...checkHostPortConflicts(list, path)];
}

/** spec.initContainers: names unique with the regular ones; probes and lifecycle only for sidecars (restartPolicy Always). */
export function validateInitContainers(initContainers: unknown, containers: unknown, ctx: ContainerContext, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set(objectsOf(containers).map((c) => c.name));
  objectsOf(initContainers).forEach((c, i) => {
    const p = index(path, i);
    errs.push(...validateContainerCommon(c, ctx, p));
    const sidecar = c.restartPolicy === 'Always';
    if (c.restartPolicy != null && !sidecar) errs.push(notSupported(child(p, 'restartPolicy'), c.restartPolicy, ['Always']));
    if (names.has(c.name)) errs.push(duplicate(child(p, 'name'), c.name ?? ''));
    else if (c.name) names.add(c.name);
    errs.push(...checkHostPortConflicts([c], path, i));
    if (sidecar) errs.push(...validateLifecycle(c, ctx, p), ...validateProbes(c, ctx, p));
    else for (const f of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe']) if (c[f] != null) errs.push(forbidden(child(p, f), INIT_ONLY));
  });
  return errs;
}

/** Pod-only (not template) container check: image without surrounding whitespace. */
export function validateContainersOnlyForPod(containers: unknown, path: string): FieldError[] {
  return objectsOf(containers).flatMap((c, i) => {
    const padded = typeof c.image === 'string' && c.image !== c.image.trim();
    return padded ? [invalid(child(index(path, i), 'image'), c.image, 'must not have leading or trailing whitespace')] : [];
  });
}
