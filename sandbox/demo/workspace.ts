import { stringify } from 'yaml';
import type { SandboxChannel, SandboxUser, SandboxUsergroup } from '../slack/index.js';
import { demoIdentities } from '../cluster/rbac-seed.js';

/**
 * The demo's people. deckhand.yaml makes alice an approver by id and carol one through the
 * @oncall user group; bob may not approve. High-risk actions need two approvers.
 */
export const demoUsers: SandboxUser[] = [
  { id: 'UALICE', name: 'alice', realName: 'Alice Approver', title: 'on-call SRE (approver)' },
  { id: 'UCAROL', name: 'carol', realName: 'Carol Second', title: 'SRE in @oncall (approver)' },
  { id: 'UBOB', name: 'bob', realName: 'Bob Builder', title: 'developer (not an approver)' },
];

export const demoUsergroups: SandboxUsergroup[] = [{ id: 'SONCALL', handle: 'oncall', users: ['UCAROL'] }];

export const demoChannelIds = { incidents: 'CINCIDENTS', platform: 'CPLATFORM', capacity: 'CCAPACITY' } as const;


/** One channel per mode, so the three modes can be seen side by side. */
export const demoChannels: SandboxChannel[] = [
  { id: demoChannelIds.incidents, name: 'incidents', topic: 'approval mode: an approver clicks Approve before anything runs' },
  { id: demoChannelIds.platform, name: 'platform', topic: 'yolo mode: confident fixes up to medium risk run by themselves' },
  { id: demoChannelIds.capacity, name: 'capacity', topic: 'plan mode: Deckhand proposes, never acts' },
];

/** The sandbox cluster's name in deckhand.yaml (and in alert labels). */
export const demoClusterName = 'sandbox';

/** The PagerDuty service whose incidents are about shop/checkout. */
export const demoPagerDutyService = { id: 'PCHKOUT', summary: 'Checkout API' } as const;

/**
 * The demo's deckhand.yaml: the sandbox cluster through its kubeconfig, a channel per mode,
 * routes by the alert's `team` label / PagerDuty service, and the PagerDuty service mapping.
 * It goes through the product's own loadConfig, like any operator's file.
 */
export function buildDemoConfigYaml(kubeconfigPath: string): string {
  const approvers = { users: ['UALICE'], groups: ['SONCALL'] };
  const config = {
    clusters: { [demoClusterName]: { kubeconfig: kubeconfigPath, context: 'sandbox' } },
    channels: {
      [demoChannelIds.incidents]: { name: '#incidents', mode: 'approval', cluster: demoClusterName, namespaces: ['shop'], approvers },
      [demoChannelIds.platform]: {
        name: '#platform',
        mode: 'yolo',
        cluster: demoClusterName,
        namespaces: ['shop'],
        approvers,
        yolo: { maxRisk: 'medium', minConfidence: 0.8 },
      },
      [demoChannelIds.capacity]: { name: '#capacity', mode: 'plan', cluster: demoClusterName, namespaces: ['*'], approvers },
    },
    routes: [
      { match: { source: 'alertmanager', labels: { team: 'platform' } }, channel: demoChannelIds.platform },
      { match: { source: 'alertmanager', labels: { team: 'capacity' } }, channel: demoChannelIds.capacity },
      { match: { pagerdutyService: demoPagerDutyService.id }, channel: demoChannelIds.incidents },
      { match: {}, channel: demoChannelIds.incidents },
    ],
    pagerduty: { services: { [demoPagerDutyService.id]: { cluster: demoClusterName, namespace: 'shop', deployment: 'checkout' } } },
    // Approved actions run as the approver, with the rights the sandbox's RBAC gives them:
    // alice (group sre) may edit in shop; carol may only roll back checkout there, so her
    // approval of anything else is refused by the cluster. yolo in #platform runs as Deckhand.
    identities: {
      users: {
        UALICE: { user: demoIdentities.alice.user, groups: [...demoIdentities.alice.groups] },
        UCAROL: { user: demoIdentities.carol.user },
      },
      groups: { SONCALL: { groups: ['oncall'] } },
    },
    execution: { runAs: 'approver' },
  };
  return `# Written by \`npm run demo\` for this run only.\n${stringify(config)}`;
}
