import type { Console } from './output';
import { RoleProcess } from './role-process';

/** A console that records lines; `waitFor` resolves when one matches. */
function recorder(): Console & { lines: string[]; waitFor(re: RegExp, count?: number): Promise<void> } {
  const lines: string[] = [];
  const waiters: (() => void)[] = [];
  const push = (l: string) => {
    lines.push(l);
    waiters.splice(0).forEach((w) => w());
  };
  return {
    lines,
    out: push,
    err: push,
    async waitFor(re, count = 1) {
      while (lines.filter((l) => re.test(l)).length < count) await new Promise<void>((r) => waiters.push(r));
    },
  };
}

function node(script: string) {
  return { command: process.execPath, args: ['-e', script], env: process.env };
}

let role: RoleProcess | undefined;
afterEach(async () => {
  await role?.stop();
  role = undefined;
});

test('a role that dies is restarted with growing delays', async () => {
  const out = recorder();
  const log = recorder();
  role = new RoleProcess({ name: 'crasher', spec: node('console.log("up"); process.exit(3)'), output: out, log, backoff: { initialMs: 20, maxMs: 40 } });
  role.start();
  await out.waitFor(/^up$/, 3);
  await log.waitFor(/restarting/, 2);
  expect(log.lines[0]).toMatch(/^crasher exited with code 3 after \d+ ms; restarting in 20 ms$/);
  expect(log.lines[1]).toMatch(/restarting in 40 ms$/);
  expect(role.starts).toBeGreaterThanOrEqual(3);
});

test('stop sends SIGTERM and no restart follows', async () => {
  const out = recorder();
  const log = recorder();
  const script = 'process.on("SIGTERM", () => { console.log("term"); process.exit(0) }); console.log("ready"); setInterval(() => {}, 1000)';
  role = new RoleProcess({ name: 'worker', spec: node(script), output: out, log, backoff: { initialMs: 10 } });
  role.start();
  await out.waitFor(/ready/);
  const pid = role.pid!;
  await role.stop();
  await out.waitFor(/term/);
  expect(() => process.kill(pid, 0)).toThrow();
  await new Promise((r) => setTimeout(r, 50));
  expect(role.starts).toBe(1);
  expect(log.lines).toEqual([]);
});

test('a role that ignores SIGTERM is killed after the grace period', async () => {
  const out = recorder();
  const log = recorder();
  const script = 'process.on("SIGTERM", () => console.log("ignored")); console.log("ready"); setInterval(() => {}, 1000)';
  role = new RoleProcess({ name: 'stubborn', spec: node(script), output: out, log, stopGraceMs: 200 });
  role.start();
  await out.waitFor(/ready/);
  const started = Date.now();
  await role.stop();
  expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  expect(out.lines).toContain('ignored');
  expect(log.lines).toEqual(['stubborn did not stop within 200 ms; killing it']);
});

test('stop during the restart delay cancels the restart', async () => {
  const out = recorder();
  const log = recorder();
  role = new RoleProcess({ name: 'r', spec: node('process.exit(1)'), output: out, log, backoff: { initialMs: 300 } });
  role.start();
  await log.waitFor(/restarting in 300 ms/);
  await role.stop();
  await new Promise((r) => setTimeout(r, 400));
  expect(role.starts).toBe(1);
});
