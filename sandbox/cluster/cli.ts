import { parseArgs } from 'node:util';
import { createLogger } from '../../shared/logger.js';
import { scenarioNames, startSandboxCluster } from './index.js';

/** `npm run sandbox -- --port <p> --kubeconfig <file> [--scenario name…] [--time-scale n]` */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      kubeconfig: { type: 'string', default: './sandbox.kubeconfig' },
      scenario: { type: 'string', multiple: true },
      'time-scale': { type: 'string', default: '1' },
    },
  });
  const log = createLogger({ name: 'sandbox', level: process.env.LOG_LEVEL ?? 'info' });
  const cluster = await startSandboxCluster({
    port: Number(values.port),
    host: values.host,
    timeScale: Number(values['time-scale']),
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
  process.stderr.write(`sandbox failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
