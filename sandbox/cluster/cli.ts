import { parseArgs } from 'node:util';
import { createLogger } from '../shared/product.js';
import { scenarioNames, startSandboxCluster } from './index.js';

const usage = `Usage: npm run sandbox -- [options]

Starts the sandbox Kubernetes API (in-process, no containers) and writes a kubeconfig
whose current context is \`sandbox\`. Stops on Ctrl-C.

Options:
  --port <n>           port to listen on (default 0: a free port)
  --host <addr>        address to bind (default 127.0.0.1)
  --kubeconfig <file>  where to write the kubeconfig (default ./sandbox.kubeconfig)
  --scenario <name>    load only this scenario besides \`base\` (repeatable; default all):
                       ${scenarioNames.join(', ')}
  --time-scale <n>     how much faster the clock runs during its 10-minute warm-up, 1 to 1000
                       (default 1); it starts that far behind and is never ahead of the wall clock
  -h, --help           show this help`;

function parseNumberOption(raw: string, name: string, range: { min: number; max: number; whole: boolean }): number {
  const value = Number(raw);
  const fits = (range.whole ? Number.isInteger(value) : Number.isFinite(value)) && value >= range.min && value <= range.max;
  if (!fits) throw new Error(`${name} must be a ${range.whole ? 'whole ' : ''}number from ${range.min} to ${range.max}, got "${raw}"`);
  return value;
}

/** `npm run sandbox -- --port <p> --kubeconfig <file> [--scenario name…] [--time-scale n]` */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      kubeconfig: { type: 'string', default: './sandbox.kubeconfig' },
      scenario: { type: 'string', multiple: true },
      'time-scale': { type: 'string', default: '1' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  const port = parseNumberOption(values.port, '--port', { min: 0, max: 65535, whole: true });
  const timeScale = parseNumberOption(values['time-scale'], '--time-scale', { min: 1, max: 1000, whole: false });
  const log = createLogger({ name: 'sandbox', level: process.env.LOG_LEVEL ?? 'info' });
  const cluster = await startSandboxCluster({
    port,
    host: values.host,
    timeScale,
    ...(values.scenario ? { scenarios: values.scenario } : {}),
    log,
  });
  await cluster.writeKubeconfig(values.kubeconfig);
  process.stdout.write(
    [
      `Sandbox cluster listening on ${cluster.url}`,
      `Kubeconfig written to ${values.kubeconfig}`,
      `Scenarios: base, ${scenarioNames.join(', ')}`,
      '',
      'Try:',
      `  kubectl --kubeconfig ${values.kubeconfig} get pods -A`,
      `  kubectl --kubeconfig ${values.kubeconfig} -n shop describe pod -l app=checkout`,
      `  kubectl --kubeconfig ${values.kubeconfig} -n shop rollout undo deployment/checkout`,
      '',
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
  const stop = (): void => {
    cluster.close().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'sandbox close failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`sandbox failed to start: ${err instanceof Error ? err.message : String(err)} (see --help)\n`);
  process.exit(1);
});
