import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `cond` until it holds; throws with `what` after `timeoutMs`. */
export async function waitFor(cond: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000, everyMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

export interface Fixture {
  child: ChildProcess;
  /** Every stdout line so far. */
  lines: string[];
  /** Resolves with the first line (already printed or to come) matching `re`. */
  line(re: RegExp, timeoutMs?: number): Promise<string>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Runs `dist/test/fixtures/queue/<name>.js` (built by `npx tsc -p tsconfig.build.json`) with `env`. */
export function startFixture(name: string, env: Record<string, string>): Fixture {
  const file = join(__dirname, '../../dist/test/fixtures/queue', `${name}.js`);
  const child = spawn(process.execPath, [file], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let partial = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    const parts = (partial + chunk.toString()).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    lines,
    async line(re, timeoutMs = 15_000) {
      await waitFor(() => lines.some((l) => re.test(l)) || child.exitCode !== null, `fixture ${name} to print ${re}`, timeoutMs);
      const found = lines.find((l) => re.test(l));
      if (!found) throw new Error(`fixture ${name} exited (${child.exitCode}) before printing ${re}: ${stderr}`);
      return found;
    },
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

let seq = 0;
/** A prefix no other test uses: `{q<pid>-<n>}` (a hash tag, as in production). */
export function uniquePrefix(tag = 'q'): string {
  return `{${tag}${process.pid}-${++seq}}`;
}
