import { basename, join, relative, resolve } from 'node:path';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { apiServerUrl, clientHost, resolveTokens, writeClusterKubeconfig } from '../shared/config/kubeconfig';
import { loadSettings, type Settings } from '../shared/config/settings';
import { readyBanner } from './banner';
import { homePaths, lockHome, type HomePaths } from './home';
import { linePrefix, prefixed, processConsole, type Console } from './output';
import { bindError, waitForListening } from './ports';
import { findOnPath, NO_REDIS_MESSAGE, startLocalRedis, type LocalRedis } from './redis-child';
import { RoleProcess } from './role-process';
import { discoverRoles, roleEnv, type Role } from './roles';

/**
 * `kubeq up`, the supervisor behind `npm start`: a local redis-server unless REDIS_URL is
 * set, every built role as its own child process (restarted when it dies), a kubeconfig,
 * and an ordered stop on SIGINT/SIGTERM: roles first, Redis last.
 */

export interface UpOptions {
  env?: NodeJS.ProcessEnv;
  console?: Console;
}

/** Runs until SIGINT or SIGTERM (or the local Redis dies); resolves the exit code. */
export async function runUp(opts: UpOptions = {}): Promise<number> {
  const env = opts.env ?? process.env;
  const console = opts.console ?? processConsole;
  const settings = loadSettings(env);
  const redisServer = settings.redisUrl ? undefined : findOnPath('redis-server', env.PATH);
  if (!settings.redisUrl && !redisServer) {
    console.err(NO_REDIS_MESSAGE);
    return 1;
  }
  const rolesRoot = resolve(settings.rolesDir ?? join(__dirname, '..'));
  const roles = discoverRoles(rolesRoot);
  const hasApiserver = roles.some((r) => r.name === 'apiserver');
  const busy = hasApiserver ? await bindError(settings.apiHost, settings.apiPort) : undefined;
  if (busy) {
    console.err(`kubeq: the API address ${settings.apiHost}:${settings.apiPort} is not free (${busy}); stop what holds it or set KUBEQ_API_PORT`);
    return 1;
  }
  const paths = homePaths(settings.home);
  mkdirSync(paths.root, { recursive: true, mode: 0o700 });
  const releaseHome = lockHome(paths);
  try {
    return await supervise({ settings, env, console, paths, roles, rolesRoot, redisServer });
  } finally {
    releaseHome();
  }
}

interface Plan {
  settings: Settings;
  env: NodeJS.ProcessEnv;
  console: Console;
  paths: HomePaths;
  roles: Role[];
  rolesRoot: string;
  /** Set when a local redis-server is to be started. */
  redisServer?: string;
}

async function supervise(plan: Plan): Promise<number> {
  const { settings, paths, console } = plan;
  const width = Math.max(5, ...plan.roles.map((r) => r.name.length));
  const log = prefixed(console, linePrefix('kubeq', width));
  const stop = new AbortController();
  let exitCode = 0;
  let redis: LocalRedis | undefined;
  const running: RoleProcess[] = [];
  const killAll = () => {
    running.forEach((r) => r.kill());
    redis?.kill();
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (stop.signal.aborted) {
      log.err(`${signal} again: killing everything now`);
      killAll();
      return;
    }
    log.out(`${signal}: stopping`);
    stop.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('exit', killAll);
  try {
    const tokens = resolveTokens(settings);
    const apiUrl = apiServerUrl(settings.apiHost, settings.apiPort);
    const kubeconfig = writeClusterKubeconfig({ ...settings, home: paths.root }, tokens.adminToken).path;
    let redisUrl = settings.redisUrl;
    if (plan.redisServer) {
      log.out(`starting redis-server (data in ${paths.redisDir})`);
      const output = prefixed(console, linePrefix('redis', width));
      redis = await startLocalRedis({ executable: plan.redisServer, dir: paths.redisDir, output, signal: stop.signal });
      redisUrl = redis.url;
      writeFileSync(paths.redisUrl, `${redisUrl}\n`, { mode: 0o600 });
      void redis.child.exited.then((how) => {
        if (stop.signal.aborted) return;
        log.err(`redis-server exited (${how}); stopping kubeq`);
        exitCode = 1;
        stop.abort();
      });
    }
    for (const role of plan.roles) {
      const spec = { command: process.execPath, args: ['--enable-source-maps', role.entry], env: roleEnv(plan.env, role, redisUrl, paths.root) };
      const proc = new RoleProcess({ name: role.name, spec, output: prefixed(console, linePrefix(role.name, width)), log });
      running.push(proc);
      proc.start();
    }
    if (plan.roles.length === 0) log.err(`no roles built under ${plan.rolesRoot}; run npm run build`);
    void announceWhenReady(plan, stop.signal, log, {
      apiUrl: plan.roles.some((r) => r.name === 'apiserver') ? apiUrl : undefined,
      kubeconfig,
      redisUrl,
      redisDir: redis ? paths.redisDir : undefined,
    });
    await aborted(stop.signal);
  } catch (err) {
    if (!stop.signal.aborted) throw err;
  } finally {
    await Promise.all(running.map((r) => r.stop()));
    if (redis) {
      log.out('stopping redis-server');
      await redis.stop();
      rmSync(paths.redisUrl, { force: true });
    }
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('exit', killAll);
    log.out('stopped');
  }
  return exitCode;
}

/** Prints the banner once the apiserver accepts connections (at once when there is none). */
async function announceWhenReady(
  plan: Plan,
  signal: AbortSignal,
  log: Console,
  ready: { apiUrl?: string; kubeconfig: string; redisUrl: string; redisDir?: string },
): Promise<void> {
  const { settings } = plan;
  if (ready.apiUrl) {
    const host = clientHost(settings.apiHost);
    const slow = setTimeout(() => log.err(`still waiting for the apiserver to listen on ${host}:${settings.apiPort}`), 20_000);
    const listening = await waitForListening(host, settings.apiPort, signal);
    clearTimeout(slow);
    if (!listening) return;
  }
  const banner = readyBanner({
    ...ready,
    rolesRoot: plan.rolesRoot,
    roles: plan.roles.map((r) => r.name),
    cli: cliInvocation(),
    otlpEndpoint: settings.otlpEndpoint,
  });
  banner.forEach((line) => plan.console.out(line));
}

/** How the user ran this CLI: `kubeq` through its bin link, else `node <path to main.js>`. */
function cliInvocation(): string {
  const script = process.argv[1] ?? 'dist/cli/main.js';
  return basename(script) === 'kubeq' ? 'kubeq' : `node ${relative(process.cwd(), script) || script}`;
}

async function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return;
  await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
