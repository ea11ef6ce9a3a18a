#!/usr/bin/env node
import { Command } from 'commander';
import { kubeconfigText } from './kubeconfig';
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
  return cli;
}

program()
  .parseAsync(process.argv)
  .then(() => process.exit())
  .catch((err: unknown) => {
    process.stderr.write(`kubeq: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
