import type { ChannelMode } from '../core/config/file.js';
import type { AuditLine } from './blocks/audit.js';
import type { AskRequest } from '../conversation/port.js';
import type { StatusView } from './blocks/status.js';

/**
 * What `/k8s` needs from the rest of Deckhand, as narrow ports. The command core depends
 * only on these; src/commands/wiring.ts adapts the real stores (mode store, pause, breaker,
 * audit, incident and proposal stores, cluster registry) to them. A port that fails makes
 * its part of the answer say "unknown", never silence.
 */
export interface CommandPorts {
  /** The channel's effective mode and where it comes from. */
  getChannelMode: (channel: string) => Promise<{ mode: ChannelMode; source: 'runtime' | 'config' }>;
  /** Sets the mode; the implementation audits the change. */
  setChannelMode: (input: { channel: string; mode: ChannelMode; user: string }) => Promise<void>;
  /** May this user change mode / pause / resume from this channel? */
  isAuthorized: (input: { user: string; channel: string }) => Promise<boolean>;
  pauseState: () => Promise<{ global: boolean; clusters: string[] }>;
  pause: (input: { user: string }) => Promise<void>;
  resume: (input: { user: string }) => Promise<void>;
  listOpenIncidents: () => Promise<Exclude<StatusView['incidents'], 'unknown'>>;
  listPendingProposals: () => Promise<Exclude<StatusView['pendingProposals'], 'unknown'>>;
  breakerStates: (clusters: string[]) => Promise<Exclude<StatusView['breakers'], 'unknown'>>;
  auditRecent: (input: { incidentId?: string; limit: number }) => Promise<AuditLine[]>;
  clusterNames: () => string[];
  checkCluster: (name: string) => Promise<{ ok: boolean; detail?: string }>;
  /** The cluster watch's state in this replica ("watching 40 workloads…"), when detection runs. */
  watchState?: (name: string) => string | undefined;
  /** Queues `/k8s ask`: the conversation worker opens the thread and answers in it. */
  enqueueAsk: (input: AskRequest) => Promise<void>;
}
