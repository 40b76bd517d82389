import type { AppContext, Feature } from '../core/feature.js';
import { queueNames } from '../jobs/queues.js';
import { slackGroupMembers } from './approvers.js';
import { createActionConnections } from './connections.js';
import { createDecisionProcessor } from './decision-worker.js';
import { createExecutionProcessor } from './execute/worker.js';
import { createInflight } from './inflight.js';
import { registerDecisionListeners } from './listeners.js';
import type { AnalysisRequests, DecisionsProvider } from './port.js';
import { createResumer } from './resume.js';
import { createDecisionServices, type DecisionServices } from './services.js';
import { enqueueVerification, ensureStageJob } from './stage-jobs.js';
import { createVerificationProcessor } from './verify/worker.js';

/** How the loop is tuned (tests and the demo shorten its windows). */
export interface DecisionsTuning {
  /** How often undecided proposals past their TTL lose their buttons (default 60 s; 0 = never). */
  sweepIntervalMs?: number;
  verification?: { timeoutMs?: number; settleMs?: number; pollMs?: number };
  lockTtlMs?: number;
  /**
   * How often the resume sweep looks for decisions whose consequences are owed with no job
   * working on them (default 5 s; 0 = only once at start). It also runs at start, so a
   * restarted process resumes what its predecessor left at once.
   */
  resumeIntervalMs?: number;
  /** A job that failed for good is retried by the sweep at most this often (default 30 s). */
  retryFailedAfterMs?: number;
  /** How long shutdown waits for clicks in flight (default 10 s). */
  shutdownGraceMs?: number;
}

export interface DecisionsFeature extends Feature, DecisionsProvider {
  /** The decision services of the running app (after registerSlack / start). */
  services: (ctx: AppContext) => DecisionServices;
  /** Runs the resume sweep now (after start); tests and operators need not wait for its timer. */
  resume: () => Promise<{ resumed: number }>;
}

/**
 * The decision loop as a Feature: button listeners, the `decision`, `execution` and
 * `verification` workers, the resume sweep (what a dead process or a long Slack outage left
 * owed, see resume.ts) and the expiry sweep. On stop it waits, bounded, for clicks in flight. Other features reach its services through `services(ctx)`:
 * analysis calls `submit(proposal)`, incident resolution `clicks.expireForIncident(id)`,
 * /k8s uses `modes`, `pause`, `breaker` and `audit`.
 */
export interface DecisionsFeatureOptions extends DecisionsTuning {
  /** Fresh analyses, offered by analysis (`analysisRequests`). */
  analysis: AnalysisRequests;
}

export function createDecisionsFeature(options: DecisionsFeatureOptions): DecisionsFeature {
  let built: DecisionServices | undefined;
  const timers: NodeJS.Timeout[] = [];
  const inflight = createInflight();
  let resumer: ReturnType<typeof createResumer> | undefined;

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
      requestAnalysis: (incidentId, reason) => options.analysis.request(ctx, incidentId, reason),
      metrics: ctx.metrics.loop,
    });
    return built;
  };

  function every(ms: number, run: () => Promise<unknown>): void {
    if (ms <= 0) return;
    const timer = setInterval(() => void run(), ms);
    timer.unref();
    timers.push(timer);
  }

  return {
    name: 'decisions',
    services,
    port: services,
    registerSlack(app, ctx) {
      const s = services(ctx);
      registerDecisionListeners(app, {
        clicks: s.clicks,
        approveAll: (input) => s.approveAll(input),
        messenger: ctx.slack,
        log: ctx.log.child({ feature: 'decisions' }),
        inflight,
        metrics: ctx.metrics.loop,
      });
      // A resolved incident's pending proposals lose their buttons at once, not at their TTL.
      ctx.incidentEvents.onResolved(async (incidentId) => {
        await s.clicks.expireForIncident(incidentId);
      });
      // Every lifecycle step of an incident is in the audit, once (a retried job repeats it).
      ctx.incidentEvents.onStatusChanged(async (change) => {
        const appended = await s.audit.appendOnce(`incident-status:${change.incidentId}:${change.to}:${change.at}`, {
          type: 'incident_status',
          incidentId: change.incidentId,
          summary: `${change.from ? `incident ${change.to} (was ${change.from})` : `incident opened, ${change.to}`}: ${change.cause}`,
        });
        if (appended) ctx.metrics.loop.incidentTransitions.inc({ status: change.to });
      });
    },
    start(ctx) {
      const s = services(ctx);
      const log = ctx.log.child({ feature: 'decisions' });
      ctx.metrics.loop.setSource('breakers', () => Promise.all(ctx.clusters.names().map(async (cluster) => ({ cluster, open: (await s.breaker.state(cluster)).open }))));
      ctx.metrics.loop.setSource('paused', () => s.pause.isPaused());
      const execute = createExecutionProcessor({
        ...s.deps,
        breaker: s.breaker,
        log,
        enqueueVerification: (id) => enqueueVerification(ctx.queues, id),
        ...(options.lockTtlMs === undefined ? {} : { lockTtlMs: options.lockTtlMs }),
      });
      const verify = createVerificationProcessor({
        ...s.deps,
        breaker: s.breaker,
        log,
        ...options.verification,
        onFixVerified: (input) => ctx.incidentEvents.emitFixVerified(input),
      });
      const decide = createDecisionProcessor({ ...s.deps, log });
      ctx.workers.start(queueNames.decision, (job) => decide(job), { concurrency: 4 });
      ctx.workers.start(queueNames.execution, (job) => execute(job), { concurrency: 4 });
      ctx.workers.start(queueNames.verification, (job) => verify(job), { concurrency: 4 });
      const retryFailedAfterMs = options.retryFailedAfterMs ?? 30_000;
      const active = createResumer({
        store: s.store,
        ensureJob: (stage, id) => ensureStageJob(ctx.queues, stage, id, { retryFailedAfterMs, now: Date.now() }),
        log,
      });
      resumer = active;
      const resume = () => active.sweep().catch((err: unknown) => log.warn({ err: String(err) }, 'resume sweep failed'));
      void resume();
      every(options.resumeIntervalMs ?? 5000, resume);
      every(options.sweepIntervalMs ?? 60_000, () =>
        s.clicks.sweepExpired().catch((err: unknown) => log.warn({ err: String(err) }, 'proposal expiry sweep failed')),
      );
    },
    resume: () => (resumer ? resumer.sweep() : Promise.resolve({ resumed: 0 })),
    async stop() {
      for (const timer of timers.splice(0)) clearInterval(timer);
      // Clicks already acknowledged finish (they only store and queue); the app then lets the
      // workers finish their active jobs. Anything cut off is resumed by the next sweep.
      if (!(await inflight.drain(options.shutdownGraceMs ?? 10_000))) built?.deps.log.warn({ inflight: inflight.size }, 'clicks still in flight at shutdown');
    },
  };
}
