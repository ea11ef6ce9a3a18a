import { RestartBackoff, type BackoffOptions } from './backoff';
import { formatMs, killChild, startChild, stopChild, STOP_GRACE_MS, type ChildSpec, type RunningChild } from './child';
import type { Console } from './output';

export interface RoleProcessOptions {
  /** The role's name, in the supervisor's messages. */
  name: string;
  spec: ChildSpec;
  /** Where the role's own output lines go. */
  output: Console;
  /** Where the supervisor's messages about this role go. */
  log: Console;
  /** Restart delays; default 1 s doubling to 30 s, reset after a 60 s run. */
  backoff?: BackoffOptions;
  /** SIGTERM → SIGKILL grace on stop, default 10 s. */
  stopGraceMs?: number;
  now?: () => number;
}

/**
 * One role kept running: a child that exits for any reason while the role is not being
 * stopped is started again after a backoff delay.
 */
export class RoleProcess {
  private readonly backoff: RestartBackoff;
  private readonly now: () => number;
  private child?: RunningChild;
  private startedAt = 0;
  private restartTimer?: NodeJS.Timeout;
  /** Set by stop(); from then on an exit is final and no restart is scheduled. */
  private stopping = false;
  private startCount = 0;

  constructor(private readonly opts: RoleProcessOptions) {
    this.backoff = new RestartBackoff(opts.backoff);
    this.now = opts.now ?? Date.now;
  }

  get name(): string {
    return this.opts.name;
  }

  /** The running child's pid, if one is running. */
  get pid(): number | undefined {
    return this.child?.process.pid;
  }

  /** How many times the role has been started. */
  get starts(): number {
    return this.startCount;
  }

  start(): void {
    if (this.stopping || this.child) return;
    this.restartTimer = undefined;
    this.startedAt = this.now();
    this.startCount++;
    const child = startChild(this.opts.spec, this.opts.output);
    this.child = child;
    void child.exited.then((how) => this.onExit(child, how));
  }

  private onExit(child: RunningChild, how: number | NodeJS.Signals): void {
    if (this.child === child) this.child = undefined;
    if (this.stopping) return;
    const ranMs = this.now() - this.startedAt;
    const delay = this.backoff.next(ranMs);
    const cause = typeof how === 'number' ? `with code ${how}` : `on ${how}`;
    this.opts.log.err(`${this.name} exited ${cause} after ${formatMs(ranMs)}; restarting in ${formatMs(delay)}`);
    this.restartTimer = setTimeout(() => this.start(), delay);
  }

  /** Stops the role for good: cancels a pending restart, SIGTERM, SIGKILL after the grace period. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child) return;
    const graceMs = this.opts.stopGraceMs ?? STOP_GRACE_MS;
    await stopChild(child, graceMs, () => this.opts.log.err(`${this.name} did not stop within ${formatMs(graceMs)}; killing it`));
  }

  /** SIGKILL now, for the supervisor's exit path. */
  kill(): void {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    killChild(this.child);
  }
}
