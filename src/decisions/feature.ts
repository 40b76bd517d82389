import type { AppContext, Feature } from '../core/feature.js';
import { queueNames } from '../jobs/queues.js';
import { createExecutionProcessor } from './execute/worker.js';
import { slackGroupMembers } from './approvers.js';
import { registerDecisionListeners } from './listeners.js';
import type { RenderProposal } from './messages.js';
import { createActionConnections } from './connections.js';
import type { DecisionsProvider } from './port.js';
import { createDecisionServices, type DecisionServices } from './services.js';
import { enqueueVerification } from './verify/job.js';
import { createVerificationProcessor } from './verify/worker.js';

export interface DecisionsFeatureOptions {
  renderProposal?: RenderProposal;
  /** How often undecided proposals past their TTL lose their buttons (default 60 s; 0 = never). */
  sweepIntervalMs?: number;
  verification?: { timeoutMs?: number; settleMs?: number; pollMs?: number };
  lockTtlMs?: number;
}

export interface DecisionsFeature extends Feature, DecisionsProvider {
  /** The decision services of the running app (after registerSlack / start). */
  services: (ctx: AppContext) => DecisionServices;
}

/**
 * The decision loop as a Feature: button listeners, the `execution` and `verification`
 * workers, and the expiry sweep. Other features reach its services through `services(ctx)`:
 * analysis calls `submit(proposal)`, incident resolution `clicks.expireForIncident(id)`,
 * /k8s uses `modes`, `pause`, `breaker` and `audit`.
 */
export function createDecisionsFeature(options: DecisionsFeatureOptions = {}): DecisionsFeature {
  let built: DecisionServices | undefined;
  let sweep: NodeJS.Timeout | undefined;

  const services = (ctx: AppContext): DecisionServices => {
    if (built) return built;
    const connections = createActionConnections(ctx.clusters, ctx.log.child({ component: 'kube' }));
    built = createDecisionServices({
      config: ctx.config,
      log: ctx.log,
      clock: ctx.clock,
      redis: ctx.redis,
      prefix: ctx.prefix,
      queues: ctx.queues,
      messenger: ctx.slack,
      connections,
      groupMembers: slackGroupMembers(ctx.slack),
      ...(options.renderProposal ? { renderProposal: options.renderProposal } : {}),
    });
    return built;
  };

  return {
    name: 'decisions',
    services,
    port: services,
    registerSlack(app, ctx) {
      const s = services(ctx);
      registerDecisionListeners(app, { clicks: s.clicks, messenger: ctx.slack, log: ctx.log.child({ feature: 'decisions' }) });
      // A resolved incident's pending proposals lose their buttons at once, not at their TTL.
      ctx.incidentEvents.onResolved(async (incidentId) => {
        await s.clicks.expireForIncident(incidentId);
      });
    },
    start(ctx) {
      const s = services(ctx);
      const log = ctx.log.child({ feature: 'decisions' });
      const execute = createExecutionProcessor({
        ...s.deps,
        breaker: s.breaker,
        log,
        enqueueVerification: (id) => enqueueVerification(ctx.queues, id),
        ...(options.lockTtlMs === undefined ? {} : { lockTtlMs: options.lockTtlMs }),
      });
      const verify = createVerificationProcessor({ ...s.deps, breaker: s.breaker, log, ...options.verification });
      ctx.workers.start(queueNames.execution, (job) => execute(job), { concurrency: 4 });
      ctx.workers.start(queueNames.verification, (job) => verify(job), { concurrency: 4 });
      const every = options.sweepIntervalMs ?? 60_000;
      if (every > 0) {
        sweep = setInterval(() => {
          s.clicks.sweepExpired().catch((err: unknown) => log.warn({ err: String(err) }, 'proposal expiry sweep failed'));
        }, every);
        sweep.unref();
      }
    },
    stop() {
      if (sweep) clearInterval(sweep);
      return Promise.resolve();
    },
  };
}
