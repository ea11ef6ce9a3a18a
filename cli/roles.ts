import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** A built control-plane role: `<root>/services/<name>/main.js` or `<root>/workers/<name>/main.js`. */
export interface Role {
  name: string;
  kind: 'service' | 'worker';
  /** Absolute path of its entry script. */
  entry: string;
}

const KINDS = [
  ['services', 'service'],
  ['workers', 'worker'],
] as const;

/**
 * Every role built under `root` (the `dist/` directory, or KUBEQ_ROLES_DIR in tests):
 * services first (the apiserver is the front door), then workers, each by name.
 * A folder without `main.js` is not a role yet.
 */
export function discoverRoles(root: string): Role[] {
  return KINDS.flatMap(([dir, kind]) => {
    const top = join(root, dir);
    if (!existsSync(top)) return [];
    return readdirSync(top, { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(join(top, d.name, 'main.js')))
      .map((d) => d.name)
      .sort()
      .map((name) => ({ name, kind, entry: join(top, name, 'main.js') }));
  });
}

/** The `service.name` a role's spans carry. */
export function serviceNameOf(role: Pick<Role, 'name'>): string {
  return `kubeq-${role.name}`;
}

/**
 * A role's environment: the supervisor's own, plus the Redis it resolved, an absolute
 * KUBEQ_HOME (so every role finds the same token) and the role's OTEL_SERVICE_NAME.
 */
export function roleEnv(base: NodeJS.ProcessEnv, role: Pick<Role, 'name'>, redisUrl: string, home: string): NodeJS.ProcessEnv {
  return { ...base, REDIS_URL: redisUrl, KUBEQ_HOME: home, OTEL_SERVICE_NAME: serviceNameOf(role) };
}
