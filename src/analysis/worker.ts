import { createHash } from 'node:crypto';
import { UnrecoverableError } from 'bullmq';
import * as z from 'zod';
import type { Proposal } from '../decisions/actions/proposal.js';
import type { Incident } from '../core/incident.js';
import { AppError, isAppError, toAppError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { buildFindingsMessages } from './blocks/findings.js';
import type { SlackMessenger } from '../slack/messenger.js';
import { clip, md, message, safe, type Mrkdwn } from '../slack/blocks/mrkdwn.js';
import { isSlackValidationError, type PostInput } from '../slack/messenger.js';
import { analyzeIncident, type AnalyzeDeps } from './analyze-incident.js';
import { AnalysisJobData } from './job.js';
import { actionKey } from './run-analyzers.js';

/** The part of a BullMQ Job the processor reads (a real Job satisfies it). */
export interface AnalysisJob {
  id?: string | undefined;
  data: unknown;
  attemptsMade: number;
  opts: { attempts?: number | undefined };
}

export interface AnalysisProcessorDeps {
  incidents: { get(id: string): Promise<Incident | undefined> };
  messenger: SlackMessenger;
  /** The decision loop's way in: store, audit, yolo / buttons / show by the channel's mode, post. */
  proposals: { submit(proposal: Proposal): Promise<unknown>; offerApproveAll?(incidentId: string): Promise<unknown> };
  /** Everything analyzeIncident needs for this incident (channel config, readers, investigator…). */
  analysisDeps(incident: Incident): Omit<AnalyzeDeps, 'idFactory'> | Promise<Omit<AnalyzeDeps, 'idFactory'>>;
  log: Logger;
}

/**
 * The `analysis` queue's processor. Posts findings and one message per proposal in the
 * incident's thread. Every post has an idempotency key derived from the incident and the
 * job, and proposal ids are derived the same way, so a retried job re-posts nothing and
 * re-saves the same proposals. When the job fails for good, the thread says so.
 */
export function createAnalysisProcessor(deps: AnalysisProcessorDeps): (job: AnalysisJob) => Promise<void> {
  return async (job) => {
    const parsed = AnalysisJobData.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid analysis job data: ${z.prettifyError(parsed.error)}`);
    const { incidentId } = parsed.data;
    const log = deps.log.child({ incidentId, jobId: job.id });
    const incident = await deps.incidents.get(incidentId);
    if (!incident) throw new UnrecoverableError(`incident ${incidentId} not found`);
    const runKey = `analysis:${incidentId}:${job.id ?? 'nojob'}`;
    try {
      if (incident.channel === undefined || incident.threadTs === undefined) {
        throw new AppError('unavailable', 'the incident thread is not posted yet', { retryable: true });
      }
      const thread = { channel: incident.channel, threadTs: incident.threadTs };
      const analysisDeps = await deps.analysisDeps(incident);
      const outcome = await analyzeIncident(incident, {
        ...analysisDeps,
        idFactory: (p) => `p-${createHash('sha256').update(`${runKey}|${actionKey(p.action)}`).digest('hex').slice(0, 20)}`,
      });
      const messages = buildFindingsMessages(outcome.findings, {
        usage: outcome.usage,
        aiStatus: outcome.aiStatus,
        aiText: outcome.aiText,
        notes: outcome.notes,
        rejected: outcome.rejected,
      });
      for (const [i, message] of messages.entries()) {
        await postOrPlain(deps.messenger, { ...thread, message, idempotencyKey: `${runKey}:findings:${i}` }, log);
      }
      for (const proposal of outcome.proposals) await deps.proposals.submit(proposal);
      if (outcome.proposals.length > 1) await deps.proposals.offerApproveAll?.(incident.id);
      log.info({ findings: outcome.findings.length, proposals: outcome.proposals.length, ai: outcome.aiStatus.state }, 'analysis posted');
    } catch (err) {
      const error = toAppError(err);
      const final = !error.retryable || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      log.warn({ code: error.code, final, attempt: job.attemptsMade + 1 }, 'analysis failed');
      if (final && incident.channel !== undefined && incident.threadTs !== undefined) {
        await deps.messenger
          .post({
            channel: incident.channel,
            threadTs: incident.threadTs,
            message: message(md`:x: Analysis failed: ${failureReason(error)}. Use re-analyze or look at the cluster directly.`),
            idempotencyKey: `${runKey}:failed`,
          })
          .catch(() => log.warn('analysis failure notice not posted'));
      }
      if (final && !(err instanceof UnrecoverableError)) throw new UnrecoverableError(error.message);
      throw err;
    }
  };
}

/**
 * Posts the message; when Slack refuses its blocks for their content, posts its (escaped,
 * bounded) fallback text alone, so findings are never lost to what the cluster wrote.
 */
async function postOrPlain(messenger: SlackMessenger, input: PostInput, log: Logger): Promise<void> {
  try {
    await messenger.post(input);
  } catch (err) {
    if (!isSlackValidationError(err) || input.message.blocks === undefined) throw err;
    log.warn({ idempotencyKey: input.idempotencyKey }, 'slack refused the findings blocks, posting their text');
    await messenger.post({ ...input, message: { text: input.message.text } });
  }
}

function failureReason(error: AppError): Mrkdwn {
  return clip(safe(isAppError(error) ? `${error.code}: ${error.message}` : 'unexpected error'), 300);
}
