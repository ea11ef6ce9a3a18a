/**
 * Settings shared by every role, read from the environment in one place.
 * Each field's doc states its variable and default; README lists them all.
 */

export interface Settings {
  /** `REDIS_URL`; no default here: `npm start` starts a local redis-server and sets it. */
  redisUrl: string;
  /** `KUBEQ_REDIS_PREFIX`, default `{kubeq}`: every Redis key starts with it (a hash tag, so Redis Cluster keeps it in one slot). */
  redisPrefix: string;
  /** `KUBEQ_API_HOST`, default `127.0.0.1`. */
  apiHost: string;
  /** `KUBEQ_API_PORT`, default 8080. */
  apiPort: number;
  /** `KUBEQ_TOKEN`: the bearer token clients must send; unset means one is generated. */
  token?: string;
  /** `KUBEQ_TOKEN_FILE`: a Kubernetes static token file (`token,user,uid,"group1,group2"` per line). */
  tokenFile?: string;
  /** `KUBEQ_HOME`, default `.kubeq` in the working directory: kubeconfig, token, local Redis data. */
  home: string;
  /** `KUBEQ_TIME_SCALE`, default 1: every simulated period runs this many times faster. */
  timeScale: number;
  /** `KUBEQ_SEED`, default 1: seed of every random choice. */
  seed: number;
  /** `KUBEQ_NODES`, default 3: simulated nodes per kubelet process. */
  nodes: number;
  /** `KUBEQ_SERVICE_CIDR`, default `10.96.0.0/12`: ClusterIPs (kube-apiserver's --service-cluster-ip-range). */
  serviceCIDR: string;
  /** `KUBEQ_SERVICE_NODE_PORT_RANGE`, default `30000-32767`: NodePorts (--service-node-port-range). */
  nodePortRange: string;
  /** `KUBEQ_LB_POOL`, default `172.20.64.0/24`: addresses the simulated cloud gives LoadBalancer Services. */
  loadBalancerPool: string;
  /** `KUBEQ_LOG_MAXLEN`, default 50000: change-log entries kept; watches from older revisions get 410 Gone. */
  logMaxLen: number;
  /** `KUBEQ_WEBHOOK_SECRET`: when set, webhooks must carry a valid `X-Kubeq-Signature-256`. */
  webhookSecret?: string;
  /** `KUBEQ_INSTANCE`, default the role name: names this process's consumer group, so a restart resumes where it stopped. */
  instance?: string;
  /** `KUBEQ_METRICS_PORT`, default 0 (none) for workers: where a worker serves `/metrics`. */
  metricsPort: number;
  /** `OTEL_EXPORTER_OTLP_ENDPOINT`: OTLP/HTTP export when set. */
  otlpEndpoint?: string;
  /** `OTEL_SERVICE_NAME`: this process's `service.name`; `kubeq up` and compose set `kubeq-<role>` per role. */
  serviceName?: string;
  /**
   * `KUBEQ_ROLES_DIR`, for tests: where `kubeq up` looks for `services/<role>/main.js` and
   * `workers/<role>/main.js`; default the `dist/` directory the CLI runs from.
   */
  rolesDir?: string;
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n)) throw new Error(`${name}=${JSON.stringify(raw)} is not a number`);
  return n;
}

export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const timeScale = int(env, 'KUBEQ_TIME_SCALE', 1);
  if (timeScale <= 0) throw new Error(`KUBEQ_TIME_SCALE must be positive, got ${timeScale}`);
  return {
    redisUrl: env.REDIS_URL ?? '',
    redisPrefix: env.KUBEQ_REDIS_PREFIX || '{kubeq}',
    apiHost: env.KUBEQ_API_HOST || '127.0.0.1',
    apiPort: int(env, 'KUBEQ_API_PORT', 8080),
    token: env.KUBEQ_TOKEN || undefined,
    tokenFile: env.KUBEQ_TOKEN_FILE || undefined,
    home: env.KUBEQ_HOME || '.kubeq',
    timeScale,
    seed: int(env, 'KUBEQ_SEED', 1),
    nodes: int(env, 'KUBEQ_NODES', 3),
    serviceCIDR: env.KUBEQ_SERVICE_CIDR || '10.96.0.0/12',
    nodePortRange: env.KUBEQ_SERVICE_NODE_PORT_RANGE || '30000-32767',
    loadBalancerPool: env.KUBEQ_LB_POOL || '172.20.64.0/24',
    logMaxLen: int(env, 'KUBEQ_LOG_MAXLEN', 50000),
    webhookSecret: env.KUBEQ_WEBHOOK_SECRET || undefined,
    instance: env.KUBEQ_INSTANCE || undefined,
    metricsPort: int(env, 'KUBEQ_METRICS_PORT', 0),
    otlpEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT || undefined,
    serviceName: env.OTEL_SERVICE_NAME || undefined,
    rolesDir: env.KUBEQ_ROLES_DIR || undefined,
  };
}
