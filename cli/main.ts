#!/usr/bin/env node
import { Command } from 'commander';
import { cliApiClient } from './api-client';
import { DEMO_DEFAULTS, demoAutoscale } from './demo';
import { kubeconfigText } from './kubeconfig';
import { packetSend } from './packet-command';
import { proxyText } from './proxy-command';
import { traceText } from './trace-command';
import { runUp } from './up';

/** The `kubeq` command: run the control plane, print its kubeconfig, read traces. */
function program(): Command {
  const cli = new Command('kubeq')
    .description('The Kubernetes control plane as an event pipeline on Redis, traced with OpenTelemetry. Settings come from the environment (see README).')
    .showHelpAfterError();
  cli
    .command('up')
    .description('run Redis (unless REDIS_URL is set) and every built role, restart roles that die, stop all on Ctrl-C (what `npm start` runs)')
    .action(async () => {
      process.exitCode = await runUp();
    });
  cli
    .command('kubeconfig')
    .description('print the kubeconfig for the running server (KUBEQ_HOME/kubeconfig, or one built from the settings)')
    .action(() => {
      process.stdout.write(kubeconfigText());
    });
  cli
    .command('trace')
    .argument('<target>', 'what to trace, as cli/trace.ts understands it')
    .description('print a trace from the Redis span sink (REDIS_URL, or the Redis the running `kubeq up` recorded)')
    .action(async (target: string) => {
      const text = await traceText(target);
      process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    });
  const proxy = cli.command('proxy').description("what a node's kube-proxy programmed (simulated), from its last sync");
  for (const [name, view, what] of [
    ['rules', 'rules', 'iptables-save (or, in IPVS mode, ipvsadm -Ln, kube-ipvs0, ipsets and iptables-save)'],
    ['ipvsadm', 'ipvsadm', 'ipvsadm -Ln (IPVS mode)'],
    ['routes', 'routes', "the node's ip route table (the flannel overlay)"],
  ] as const) {
    proxy
      .command(name)
      .argument('<node>', 'a node name')
      .description(`print ${what}`)
      .action(async (node: string) => {
        const text = await proxyText(node, view);
        process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
      });
  }
  cli
    .command('packet')
    .description('simulated packets through the cluster network (the proxy role must run)')
    .command('send')
    .requiredOption('--from <pod>', 'the sending pod, <namespace>/<name>')
    .requiredOption('--to <target>', '<Service or pod IP, or DNS name>:<port>')
    .option('--count <n>', 'how many packets', (v) => Number(v), 1)
    .description('send packets and print every hop, who served each, and the trace id')
    .action(async (opts: { from: string; to: string; count: number }) => {
      process.stdout.write(`${await packetSend({ from: opts.from, to: opts.to, count: opts.count })}\n`);
    });
  cli
    .command('demo')
    .description('scenarios on the running cluster')
    .command('autoscale')
    .description('a Deployment, Service, HPA and a ramp Load; prints a live timeline (replicas, cpu, nodes, pending pods) and where the traces are')
    .option('--namespace <ns>', 'the namespace it creates (an earlier run there is deleted first)', DEMO_DEFAULTS.namespace)
    .option('--peak <rps>', 'peak requests per second', (v) => Number(v), DEMO_DEFAULTS.peak)
    .option('--ramp <seconds>', 'cluster seconds of the ramp up (and down)', (v) => Number(v), DEMO_DEFAULTS.rampSeconds)
    .option('--hold <seconds>', 'cluster seconds at the peak', (v) => Number(v), DEMO_DEFAULTS.holdSeconds)
    .option('--every <seconds>', 'wall seconds between timeline lines', (v) => Number(v), DEMO_DEFAULTS.everyMs / 1000)
    .option('--timeout <seconds>', 'wall seconds before it stops waiting', (v) => Number(v), DEMO_DEFAULTS.timeoutMs / 1000)
    .action(async (opts: { namespace: string; peak: number; ramp: number; hold: number; every: number; timeout: number }) => {
      for (const [name, v] of Object.entries({ peak: opts.peak, ramp: opts.ramp, hold: opts.hold, every: opts.every, timeout: opts.timeout })) {
        if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a number greater than 0`);
      }
      const stop = new AbortController();
      process.once('SIGINT', () => stop.abort());
      process.exitCode = await demoAutoscale(cliApiClient(), (line) => process.stdout.write(`${line}\n`), { namespace: opts.namespace, peak: opts.peak, rampSeconds: opts.ramp, holdSeconds: opts.hold, everyMs: opts.every * 1000, timeoutMs: opts.timeout * 1000 }, stop.signal);
    });
  return cli;
}

program()
  .parseAsync(process.argv)
  .then(() => process.exit())
  .catch((err: unknown) => {
    process.stderr.write(`kubeq: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
