import { spawn, type ChildProcess } from 'node:child_process';
import { eachLine, type Console } from './output';

/** How long a child gets between SIGTERM and SIGKILL. */
export const STOP_GRACE_MS = 10_000;

export interface ChildSpec {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

/** One running child process whose output lines go to a console. */
export interface RunningChild {
  readonly process: ChildProcess;
  /** Settles when the process has exited (or failed to start): the exit code, or the signal that ended it. */
  readonly exited: Promise<number | NodeJS.Signals>;
}

/**
 * Starts `spec` in its own process group, so a Ctrl-C in the terminal reaches only the
 * supervisor, which then stops children in order (roles first, Redis last).
 */
export function startChild(spec: ChildSpec, console: Console): RunningChild {
  const child = spawn(spec.command, spec.args, { env: spec.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  eachLine(child.stdout!, console.out);
  eachLine(child.stderr!, console.err);
  const exited = new Promise<number | NodeJS.Signals>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'SIGKILL'));
    child.once('error', (err) => {
      console.err(`cannot start ${spec.command}: ${err.message}`);
      resolve(1);
    });
  });
  return { process: child, exited };
}

/**
 * SIGTERM, then SIGKILL if it has not exited after `graceMs`; resolves once it has exited.
 * `onKill` hears about the SIGKILL.
 */
export async function stopChild(child: RunningChild, graceMs = STOP_GRACE_MS, onKill?: () => void): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return;
  child.process.kill('SIGTERM');
  const timer = setTimeout(() => {
    onKill?.();
    child.process.kill('SIGKILL');
  }, graceMs);
  await child.exited;
  clearTimeout(timer);
}

/** SIGKILL at once; for the supervisor's own exit path, where nothing can be awaited. */
export function killChild(child: RunningChild | undefined): void {
  if (child && child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
}

/** `1.5 s`, `250 ms`: durations in the supervisor's messages. */
export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${Number((ms / 1000).toFixed(1))} s`;
}
