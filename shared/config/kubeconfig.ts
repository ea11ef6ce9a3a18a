import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { ensureServingCert, servingHosts, type ServingCert } from './pki';
import type { Settings } from './settings';

/**
 * API credentials: which bearer tokens the apiserver accepts, and the kubeconfig that
 * `kubeq up` writes so kubectl can use one of them.
 */

/** Who a bearer token authenticates as (Kubernetes `user.Info`). */
export interface UserInfo {
  username: string;
  uid: string;
  /** As listed; the apiserver adds `system:authenticated` itself. */
  groups: string[];
}

export type TokenSource = 'KUBEQ_TOKEN' | 'KUBEQ_TOKEN_FILE' | 'generated';

export interface ResolvedTokens {
  /** Where `adminToken` came from. */
  source: TokenSource;
  /**
   * The token the kubeconfig carries: KUBEQ_TOKEN; else the token file's first user in
   * `system:masters` (its first line when none is); else the generated one.
   */
  adminToken: string;
  /** Every accepted bearer token and its user. */
  users: ReadonlyMap<string, UserInfo>;
}

/** The user KUBEQ_TOKEN and the generated token authenticate as. */
export const ADMIN_USER: Readonly<UserInfo> = { username: 'kubeq-admin', uid: 'kubeq-admin', groups: ['system:masters'] };

/** File names inside KUBEQ_HOME. */
export const TOKEN_FILE = 'token';
export const KUBECONFIG_FILE = 'kubeconfig';

/**
 * The accepted tokens: KUBEQ_TOKEN (as kubeq-admin) plus every line of KUBEQ_TOKEN_FILE
 * when set; with neither, a random token generated once and kept in `<home>/token`
 * (mode 0600) so restarts keep it. Throws on an unreadable or malformed token file.
 */
export function resolveTokens(settings: Pick<Settings, 'token' | 'tokenFile' | 'home'>): ResolvedTokens {
  const users = new Map<string, UserInfo>();
  let fileAdmin: string | undefined;
  if (settings.tokenFile) {
    const fromFile = parseTokenFile(readFileSync(settings.tokenFile, 'utf8'), settings.tokenFile);
    for (const [token, user] of fromFile) users.set(token, user);
    fileAdmin = [...fromFile].find(([, u]) => u.groups.includes('system:masters'))?.[0] ?? fromFile.keys().next().value;
  }
  if (settings.token) {
    users.set(settings.token, { ...ADMIN_USER, groups: [...ADMIN_USER.groups] });
    return { source: 'KUBEQ_TOKEN', adminToken: settings.token, users };
  }
  if (fileAdmin !== undefined) return { source: 'KUBEQ_TOKEN_FILE', adminToken: fileAdmin, users };
  if (settings.tokenFile) throw new Error(`KUBEQ_TOKEN_FILE ${settings.tokenFile} holds no token`);
  const token = generatedToken(resolve(settings.home));
  users.set(token, { ...ADMIN_USER, groups: [...ADMIN_USER.groups] });
  return { source: 'generated', adminToken: token, users };
}

/** `<home>/token`, created (0600) with a random token when missing or empty. */
function generatedToken(home: string): string {
  const path = join(home, TOKEN_FILE);
  const existing = readIfExists(path)?.trim();
  if (existing) return existing;
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const token = randomBytes(32).toString('base64url');
  try {
    // 'wx': when two processes race, the first file wins and both use it.
    writeFileSync(path, `${token}\n`, { mode: 0o600, flag: existing === '' ? 'w' : 'wx' });
    return token;
  } catch (err) {
    const winner = (err as NodeJS.ErrnoException).code === 'EEXIST' ? readIfExists(path)?.trim() : undefined;
    if (winner) return winner;
    throw err;
  }
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * A Kubernetes static token file: CSV lines `token,user,uid[,"group1,group2"]`, as
 * kube-apiserver's `--token-auth-file` reads them (at least 3 columns, empty tokens
 * skipped, a repeated token keeps its last line).
 */
export function parseTokenFile(text: string, path = 'token file'): Map<string, UserInfo> {
  const users = new Map<string, UserInfo>();
  for (const { line, fields } of parseCsv(text)) {
    if (fields.length < 3) {
      throw new Error(`${path}:${line}: must have at least 3 columns (token, user name, user uid), found ${fields.length}`);
    }
    const [token, username, uid, groups] = fields;
    if (token === '') continue;
    users.set(token, { username, uid, groups: groups === undefined ? [] : groups.split(',').filter((g) => g !== '') });
  }
  return users;
}

/**
 * RFC 4180 records as Go's encoding/csv reads them with `TrimLeadingSpace`: quoted fields
 * may hold commas, newlines and `""`; blank lines are skipped. Throws on a stray quote.
 */
export function parseCsv(text: string): { line: number; fields: string[] }[] {
  const records: { line: number; fields: string[] }[] = [];
  let i = 0;
  let line = 1;
  while (i < text.length) {
    const start = line;
    const fields: string[] = [];
    for (;;) {
      while (text[i] === ' ' || text[i] === '\t') i++;
      let field = '';
      if (text[i] === '"') {
        for (i++; ; i++) {
          if (i >= text.length) throw new Error(`line ${start}: unterminated quoted field`);
          if (text[i] === '"' && text[i + 1] === '"') field += text[i++];
          else if (text[i] === '"') break;
          else {
            if (text[i] === '\n') line++;
            field += text[i];
          }
        }
        i++;
        if (i < text.length && !',\r\n'.includes(text[i])) throw new Error(`line ${line}: extraneous character after quoted field`);
      } else {
        while (i < text.length && !',\r\n'.includes(text[i])) {
          if (text[i] === '"') throw new Error(`line ${line}: bare " in unquoted field`);
          field += text[i++];
        }
      }
      fields.push(field);
      if (text[i] !== ',') break;
      i++;
    }
    if (text[i] === '\r') i++;
    if (text[i] === '\n') i++;
    line++;
    if (!(fields.length === 1 && fields[0] === '')) records.push({ line: start, fields });
  }
  return records;
}

/** The address a local client dials for a server bound to `host` (a wildcard bind means loopback). */
export function clientHost(host: string): string {
  return host === '' || host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
}

/** The URL clients use for an apiserver bound to host:port (always HTTPS: kubectl sends tokens only over TLS). */
export function apiServerUrl(host: string, port: number): string {
  const client = clientHost(host);
  return `https://${client.includes(':') ? `[${client}]` : client}:${port}`;
}

/** A kubeconfig with cluster `kubeq`, user `kubeq-admin` and context `kubeq` (current). */
export function kubeconfigYaml(server: string, token: string, caPem?: string): string {
  const cluster = caPem ? { server, 'certificate-authority-data': Buffer.from(caPem).toString('base64') } : { server };
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'kubeq', cluster }],
    users: [{ name: 'kubeq-admin', user: { token } }],
    contexts: [{ name: 'kubeq', context: { cluster: 'kubeq', user: 'kubeq-admin', namespace: 'default' } }],
    'current-context': 'kubeq',
    preferences: {},
  });
}

/** Writes `<home>/kubeconfig` (0600, replaced atomically) and returns its absolute path. */
export function writeKubeconfig(home: string, server: string, token: string, caPem?: string): string {
  const dir = resolve(home);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, KUBECONFIG_FILE);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, kubeconfigYaml(server, token, caPem), { mode: 0o600 });
  renameSync(tmp, path);
  return path;
}

/**
 * The serving certificate for the configured API host and a kubeconfig that trusts its CA,
 * written to `<home>/kubeconfig`. The apiserver and `kubeq up` both call it; the result is the same.
 */
export function writeClusterKubeconfig(settings: Pick<Settings, 'home' | 'apiHost' | 'apiPort'>, token: string): { path: string; cert: ServingCert } {
  const cert = ensureServingCert(settings.home, servingHosts(settings.apiHost));
  return { path: writeKubeconfig(settings.home, apiServerUrl(settings.apiHost, settings.apiPort), token, cert.caPem), cert };
}
