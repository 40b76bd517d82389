import type { App, RespondFn } from '@slack/bolt';
import { parseK8sCommand } from './parse.js';
import type { CommandPorts } from './ports.js';
import { runK8sCommand } from './run.js';
import { describeFailure } from '../slack/failure-text.js';
import type { Logger } from '../shared/logger.js';
import { buildErrorMessage } from './blocks/help.js';
import type { SlackMessage } from '../slack/messenger.js';
import { safe } from '../slack/blocks/mrkdwn.js';

export interface CommandListenerDeps {
  ports: CommandPorts;
  log: Logger;
  /** The slash command's name as configured in the Slack app; default `/k8s`. */
  command?: string;
}

/**
 * `/k8s`: ack at once (Slack wants it within 3 s), then work and answer through
 * response_url — privately, or in the channel for mode changes and pauses. Any failure
 * reaches the user as an ephemeral message.
 */
export function registerCommandListener(app: App, deps: CommandListenerDeps): void {
  const name = deps.command ?? '/k8s';
  app.command(name, async ({ command, ack, respond }) => {
    await ack();
    const log = deps.log.child({ command: name, channel: command.channel_id, user: command.user_id });
    try {
      const parsed = parseK8sCommand(command.text);
      log.debug({ kind: parsed.kind }, 'slash command received');
      const reply = await runK8sCommand(deps.ports, parsed, {
        channel: command.channel_id,
        user: command.user_id,
        command: name,
        triggerId: command.trigger_id,
      });
      await send(respond, reply.responseType, reply.message, log);
    } catch (err) {
      log.warn({ err: err instanceof Error ? err.message : String(err) }, 'slash command failed');
      await send(respond, 'ephemeral', buildErrorMessage(safe(describeFailure(err))), log);
    }
  });
}

async function send(respond: RespondFn, responseType: 'ephemeral' | 'in_channel', message: SlackMessage, log: Logger): Promise<void> {
  try {
    await respond({ response_type: responseType, text: message.text, ...(message.blocks ? { blocks: message.blocks } : {}) });
  } catch (err) {
    log.error({ err: err instanceof Error ? err.message : String(err) }, 'slash command response failed');
  }
}
