#!/usr/bin/env node
import { Command } from 'commander';
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
  return cli;
}

program()
  .parseAsync(process.argv)
  .then(() => process.exit())
  .catch((err: unknown) => {
    process.stderr.write(`kubeq: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
