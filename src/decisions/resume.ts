import type { Logger } from '../shared/logger.js';
import type { ProposalStore } from './proposal-store.js';
import { pendingWork, type Stage } from './outcome.js';

export type { Stage } from './outcome.js';

/** Takes the proposal off the resume sweep's list once nothing more is owed for it. */
export async function settleIfDone(store: Pick<ProposalStore, 'get' | 'settle'>, proposalId: string): Promise<void> {
  const record = await store.get(proposalId);
  if (!record || pendingWork(record).length === 0) await store.settle(proposalId);
}

export interface ResumeDeps {
  store: Pick<ProposalStore, 'get' | 'settle' | 'listActive'>;
  /** Makes sure a live job (waiting, delayed or active) exists for the stage: queues or retries one. */
  ensureJob: (stage: Stage, proposalId: string) => Promise<'live' | 'queued' | 'retried' | 'held'>;
  log: Logger;
}

/**
 * The resume sweep: finds every proposal whose consequences are still owed — approved but its
 * click handler died before queueing, executing under a dead worker, executed but unreported,
 * reported but unverified, or whose job gave up during a long Slack outage — and makes sure a
 * job works on each stage. Jobs are idempotent per step, so a sweep that races a live worker
 * at worst queues a job that finds nothing left to do.
 */
export function createResumer(deps: ResumeDeps) {
  return {
    async sweep(): Promise<{ resumed: number }> {
      let resumed = 0;
      for (const id of await deps.store.listActive()) {
        try {
          const record = await deps.store.get(id);
          const stages = record ? pendingWork(record) : [];
          if (stages.length === 0) {
            await deps.store.settle(id);
            continue;
          }
          for (const stage of stages) {
            const outcome = await deps.ensureJob(stage, id);
            if (outcome === 'queued' || outcome === 'retried') {
              resumed++;
              deps.log.info({ proposalId: id, stage, outcome }, 'resumed an unfinished decision');
            }
          }
        } catch (err) {
          deps.log.warn({ proposalId: id, err: err instanceof Error ? err.message : String(err) }, 'resume sweep failed for a proposal');
        }
      }
      return { resumed };
    },
  };
}
