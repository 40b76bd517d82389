import type { AskProvider } from '../conversation/port.js';
import type { Feature } from '../core/feature.js';
import type { DecisionsProvider } from '../decisions/port.js';
import type { WatchStatusProvider } from '../watch/port.js';
import { registerCommandListener } from './listener.js';
import { createCommandPorts } from './wiring.js';

export interface CommandsFeatureOptions {
  /** Modes, pause, breaker, audit, approvers and proposals: the decision loop's port. */
  decisions: DecisionsProvider;
  /** `/k8s ask` hands its question to the conversation. */
  conversation: AskProvider;
  /** `/k8s clusters` shows each cluster's watch. */
  watch?: WatchStatusProvider;
  /** The slash command's name as configured in the Slack app; default `/k8s`. */
  command?: string;
}

/** `/k8s` as a Feature: one Bolt command listener over the command core (run.ts). */
export function createCommandsFeature(options: CommandsFeatureOptions): Feature {
  return {
    name: 'commands',
    registerSlack(app, ctx) {
      registerCommandListener(app, {
        ports: createCommandPorts(ctx, options.decisions.port(ctx), options.conversation.ask(ctx), options.watch),
        log: ctx.log.child({ component: 'commands' }),
        ...(options.command ? { command: options.command } : {}),
      });
    },
  };
}
