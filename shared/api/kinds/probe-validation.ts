/** Probe and lifecycle-handler validation (validateProbe, validateHandler) with upstream wording. */
import type { FieldError } from '../status';
import { child, forbidden, invalid, notSupported, required, validateNonnegative } from '../validation/field';
import { isValidPortName, isValidPortNum } from '../validation/names';
import { isObject } from './common';

const HTTP_SCHEMES = ['HTTP', 'HTTPS'];

/** An int-or-string port: a number in 1..65535 or an IANA port name. */
export function validatePortNumOrName(port: unknown, path: string): FieldError[] {
  if (typeof port === 'number') return isValidPortNum(port).map((m) => invalid(path, port, m));
  if (typeof port === 'string') return isValidPortName(port).map((m) => invalid(path, port, m));
  return [invalid(path, port === undefined ? 0 : JSON.stringify(port), 'must be between 1 and 65535, inclusive')];
}

/**
 * Exactly one of exec, httpGet, tcpSocket, grpc (probes) or sleep (lifecycle handlers);
 * `lifecycle` selects which set applies.
 */
export function validateHandler(h: Record<string, any>, gracePeriod: number | undefined, path: string, lifecycle: boolean): FieldError[] {
  const kinds = lifecycle ? ['exec', 'httpGet', 'tcpSocket', 'sleep'] : ['exec', 'httpGet', 'tcpSocket', 'grpc'];
  const errs: FieldError[] = [];
  let count = 0;
  for (const kind of kinds) {
    if (!isObject(h[kind])) continue;
    const p = child(path, kind);
    if (count++ > 0) {
      errs.push(forbidden(p, 'may not specify more than 1 handler type'));
      continue;
    }
    const a = h[kind];
    if (kind === 'exec' && !(Array.isArray(a.command) && a.command.length)) errs.push(required(child(p, 'command')));
    if (kind === 'httpGet') {
      if (!a.path) errs.push(required(child(p, 'path')));
      errs.push(...validatePortNumOrName(a.port, child(p, 'port')));
      if (!HTTP_SCHEMES.includes(a.scheme)) errs.push(notSupported(child(p, 'scheme'), a.scheme ?? '', HTTP_SCHEMES));
    }
    if (kind === 'tcpSocket') errs.push(...validatePortNumOrName(a.port, child(p, 'port')));
    if (kind === 'grpc') errs.push(...validatePortNumOrName(typeof a.port === 'number' ? a.port : 0, child(p, 'port')));
    if (kind === 'sleep' && gracePeriod !== undefined && (typeof a.seconds !== 'number' || a.seconds < 0 || a.seconds > gracePeriod)) {
      errs.push(invalid(p, a.seconds ?? 0, `must be non-negative and less than terminationGracePeriodSeconds (${gracePeriod})`));
    }
  }
  if (count === 0) errs.push(required(path, 'must specify a handler type'));
  return errs;
}

/** A liveness, readiness or startup probe; absent probes are fine. */
export function validateProbe(probe: unknown, kind: 'liveness' | 'readiness' | 'startup', gracePeriod: number | undefined, path: string): FieldError[] {
  if (!isObject(probe)) return [];
  const errs = validateHandler(probe, gracePeriod, path, false);
  for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']) {
    errs.push(...validateNonnegative(probe[f], child(path, f)));
  }
  const tgps = probe.terminationGracePeriodSeconds;
  if (typeof tgps === 'number' && tgps <= 0) errs.push(invalid(child(path, 'terminationGracePeriodSeconds'), tgps, 'must be greater than 0'));
  if (kind !== 'readiness' && probe.successThreshold !== 1) errs.push(invalid(child(path, 'successThreshold'), probe.successThreshold ?? 0, 'must be 1'));
  if (kind === 'readiness' && tgps != null) errs.push(invalid(child(path, 'terminationGracePeriodSeconds'), tgps, 'must not be set for readinessProbes'));
  return errs;
}
