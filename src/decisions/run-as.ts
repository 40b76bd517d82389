import type { Action } from './actions/catalog.js';
import { writePermissionsFor } from './actions/permissions.js';
import type { ChannelConfig, Identities, KubeIdentity, RunAs } from '../core/config/file.js';
import { describePermission, type AccessVerdict, type ResourcePermission } from '../kube/impersonation.js';
import { AppError } from '../shared/errors.js';
import type { DecisionRecord } from './proposal-store.js';

/**
 * Who an action runs as in the cluster (config `execution.runAs` and `identities`). With
 * `bot` everything runs as Deckhand's own identity. With `approver`, an approved action runs
 * impersonating the approver whose click completed the approval (the last approval recorded),
 * and every approver's click is first checked with SubjectAccessReviews, so a person the
 * cluster would refuse cannot make anything run. yolo's own approvals always run as Deckhand.
 */

/** The identity an action runs as: Deckhand's own (`bot`), or a person's. */
export type RunIdentity = { kind: 'bot' } | { kind: 'person'; slackUser: string; identity: KubeIdentity };

export type ApproverCheck = { ok: true; identity: KubeIdentity | undefined } | { ok: false; reason: 'unmapped' | 'not_permitted'; message: string };

/** Asks one cluster about one identity (ActionConnection.reviewAccess). */
export type ReviewAccess = (cluster: string, identity: KubeIdentity, permissions: ResourcePermission[]) => Promise<AccessVerdict>;

export interface RunAsPolicy {
  mode: RunAs;
  /** The Kubernetes identity of a Slack user, or undefined when unmapped. */
  identityOf(slackUser: string): Promise<KubeIdentity | undefined>;
  /** Before an approver's click counts (runAs approver): is the person mapped, and may they run it? */
  checkApprover(input: { cluster: string; action: Action; slackUser: string }): Promise<ApproverCheck>;
  /** Who an approved or executed proposal runs (and is verified) as. Throws when its approver is no longer mapped. */
  runIdentityOf(record: Pick<DecisionRecord, 'auto' | 'approvals'>): Promise<RunIdentity>;
  /**
   * Before any click (runAs approver): which of the channel's approvers are mapped, and which
   * of them the cluster would let run `action`. Undefined with runAs bot.
   */
  whoMayRun(input: { approvers: ChannelConfig['approvers']; cluster: string; action: Action }): Promise<{ mapped: string[]; permitted: string[] } | undefined>;
}

export interface RunAsDeps {
  mode: RunAs;
  identities: Identities;
  /** Whether a Slack user is in a Slack user group (the approvers' cached usergroups lookup). */
  inGroup: (groupId: string, slackUser: string) => Promise<boolean>;
  membersOf: (groupId: string) => Promise<string[]>;
  reviewAccess: ReviewAccess;
}

export function createRunAsPolicy(deps: RunAsDeps): RunAsPolicy {
  async function identityOf(slackUser: string): Promise<KubeIdentity | undefined> {
    const own = deps.identities.users[slackUser];
    const groups = [...(own?.groups ?? [])];
    let mappedByGroup = false;
    for (const [groupId, mapping] of Object.entries(deps.identities.groups)) {
      if (!(await deps.inGroup(groupId, slackUser))) continue;
      mappedByGroup = true;
      for (const g of mapping.groups) if (!groups.includes(g)) groups.push(g);
    }
    if (!own && !mappedByGroup) return undefined;
    return { user: own?.user ?? `slack:${slackUser}`, groups };
  }

  return {
    mode: deps.mode,
    identityOf,
    async checkApprover({ cluster, action, slackUser }) {
      if (deps.mode === 'bot') return { ok: true, identity: undefined };
      const identity = await identityOf(slackUser);
      if (!identity) {
        return {
          ok: false,
          reason: 'unmapped',
          message: "Actions here run as the approving person in Kubernetes, and your Slack account is not mapped to a Kubernetes identity (deckhand.yaml `identities`), so your approval can't count. Ask an admin to map you.",
        };
      }
      const verdict = await deps.reviewAccess(cluster, identity, writePermissionsFor(action));
      if (verdict.allowed) return { ok: true, identity };
      return {
        ok: false,
        reason: 'not_permitted',
        message: `The cluster would refuse this as you: ${describeIdentity(identity)} may not ${describePermission(verdict.missing)}. Your approval is not counted.`,
      };
    },
    async runIdentityOf(record) {
      if (deps.mode === 'bot' || record.auto) return { kind: 'bot' };
      const completing = record.approvals.at(-1)?.user;
      if (completing === undefined) return { kind: 'bot' };
      const identity = await identityOf(completing);
      if (!identity) throw new AppError('forbidden', `the approver ${completing} is no longer mapped to a Kubernetes identity`, { retryable: false });
      return { kind: 'person', slackUser: completing, identity };
    },
    async whoMayRun({ approvers, cluster, action }) {
      if (deps.mode === 'bot') return undefined;
      const people = new Set(approvers.users);
      for (const group of approvers.groups) for (const member of await deps.membersOf(group)) people.add(member);
      const mapped: string[] = [];
      const permitted: string[] = [];
      const permissions = writePermissionsFor(action);
      // Bounded: a channel's approvers are a handful; each costs one review per permission.
      for (const person of [...people].slice(0, 20)) {
        const identity = await identityOf(person);
        if (!identity) continue;
        mapped.push(person);
        if ((await deps.reviewAccess(cluster, identity, permissions)).allowed) permitted.push(person);
      }
      return { mapped, permitted };
    },
  };
}

/** `alice@example.com (groups sre, oncall)`. */
export function describeIdentity(identity: KubeIdentity): string {
  return identity.groups.length > 0 ? `${identity.user} (groups ${identity.groups.join(', ')})` : identity.user;
}

/** For audit entries and thread posts: who the run was. */
export function describeRunIdentity(run: RunIdentity): string {
  return run.kind === 'bot' ? "Deckhand's own identity" : describeIdentity(run.identity);
}
