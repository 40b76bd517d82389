import { parseArgs } from 'node:util';
import { createLogger } from '../shared/product.js';
import { startSlackSandbox } from './index.js';

/**
 * Runs the local Slack sandbox alone (web page + fake Web API) until SIGINT/SIGTERM:
 *   npx tsx sandbox/slack/cli.ts --port 4010 --bot-url http://127.0.0.1:3000/slack/events
 * The bot then runs with SLACK_API_URL=<printed api url>, SLACK_BOT_TOKEN=xoxb-sandbox and
 * the same SLACK_SIGNING_SECRET. With --socket-mode the bot connects instead, with the
 * printed SLACK_APP_TOKEN (or the one in the environment), and needs no bot url.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '4010' },
      host: { type: 'string', default: '127.0.0.1' },
      'bot-url': { type: 'string' },
      'bot-token': { type: 'string', default: 'xoxb-sandbox' },
      'socket-mode': { type: 'boolean', default: false },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, got ${values.port}`);
  const log = createLogger({ name: 'slack-sandbox', level: process.env.LOG_LEVEL ?? 'info' });
  const sandbox = await startSlackSandbox({
    port,
    host: values.host,
    botToken: values['bot-token'],
    socketMode: values['socket-mode'],
    ...(process.env.SLACK_APP_TOKEN ? { appToken: process.env.SLACK_APP_TOKEN } : {}),
    ...(process.env.SLACK_SIGNING_SECRET ? { signingSecret: process.env.SLACK_SIGNING_SECRET } : {}),
    ...(values['bot-url'] ? { botUrl: values['bot-url'] } : {}),
    log,
  });
  process.stdout.write(
    [
      `Slack sandbox page:  ${sandbox.url}/`,
      `SLACK_API_URL=${sandbox.apiUrl}`,
      `bot url:             ${sandbox.botUrl() ?? '(none: pass --bot-url)'}`,
      process.env.SLACK_SIGNING_SECRET ? 'signing with SLACK_SIGNING_SECRET' : `SLACK_SIGNING_SECRET=${sandbox.signingSecret}`,
      ...(values['socket-mode'] ? [process.env.SLACK_APP_TOKEN ? 'Socket Mode with SLACK_APP_TOKEN' : `SLACK_APP_TOKEN=${sandbox.appToken}`] : []),
      '',
    ].join('\n'),
  );
  const stop = (): void => {
    sandbox.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
