import type { Action } from '../decisions/actions/catalog.js';
import { snapshotTarget } from '../decisions/actions/snapshot.js';
import type { AppContext, Feature } from '../core/feature.js';
import { channelConfigOf } from '../core/config/load.js';
import type { DecisionsProvider } from '../decisions/port.js';
import { queueNames } from '../jobs/queues.js';
import { createAnthropicMessages } from './agent/client.js';
import { createClaudeInvestigator } from './agent/investigator.js';
import type { Investigator } from './investigator.js';
import { createAnalysisProcessor } from './worker.js';

export interface AnalysisFeatureOptions {
  /** Where proposals go: the decision loop's port (the decisions feature). */
  decisions: DecisionsProvider;
  /** Claude; default: built from ANTHROPIC_API_KEY / ANTHROPIC_BASE_URL / ANTHROPIC_MODEL when the key is set. */
  investigator?: (ctx: AppContext) => Investigator | undefined;
  concurrency?: number;
}

/**
 * The `analysis` worker as a Feature: for each `{ incidentId }` job (enqueued by intake), the
 * built-in analyzers and, with an API key, Claude; findings and proposals go to the thread.
 */
export function createAnalysisFeature(options: AnalysisFeatureOptions): Feature {
  return {
    name: 'analysis',
    start(ctx) {
      const get = (cluster: string) => ctx.clusters.get(cluster);
      const file = ctx.config.file;
      const decisions = options.decisions.port(ctx);
      const investigator = options.investigator ? options.investigator(ctx) : defaultInvestigator(ctx);
      const processor = createAnalysisProcessor({
        incidents: ctx.incidents,
        messenger: ctx.slack,
        proposals: { submit: (proposal) => decisions.submit(proposal), offerApproveAll: (incidentId) => decisions.offerApproveAll(incidentId) },
        analysisDeps: (incident) => {
          const channel = channelConfigOf(ctx.config, incident.channel ?? '');
          return {
            reader: (cluster) => get(cluster).reader,
            snapshot: (cluster: string, action: Action) => snapshotTarget(get(cluster).reader, action),
            channel,
            policy: {
              protectedNamespaces: [...file.policy.protectedNamespaces, ...(file.clusters[channel.cluster]?.protectedNamespaces ?? [])],
              deny: file.policy.deny,
              proposalTtlMinutes: file.policy.proposalTtlMinutes,
            },
            services: file.pagerduty.services,
            investigator,
            clock: ctx.clock,
            log: ctx.log.child({ feature: 'analysis' }),
          };
        },
        log: ctx.log.child({ feature: 'analysis' }),
      });
      ctx.workers.start(queueNames.analysis, (job) => processor(job), { concurrency: options.concurrency ?? 2 });
    },
  };
}

function defaultInvestigator(ctx: AppContext): Investigator | undefined {
  const env = ctx.config.env;
  if (env.ANTHROPIC_API_KEY === undefined) return undefined;
  const limits = ctx.config.file.analysis;
  return createClaudeInvestigator({
    messages: createAnthropicMessages({ apiKey: env.ANTHROPIC_API_KEY, baseURL: env.ANTHROPIC_BASE_URL }),
    model: ctx.config.anthropicModel,
    limits: { maxSteps: limits.maxSteps, maxToolBytes: limits.maxToolBytes, maxIncidentToolBytes: limits.maxIncidentToolBytes, maxIncidentTokens: limits.maxIncidentTokens },
    log: ctx.log.child({ feature: 'analysis', component: 'claude' }),
  });
}
