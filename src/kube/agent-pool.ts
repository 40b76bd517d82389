import { createHash } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import { KubeConfig, type RequestContext } from '@kubernetes/client-node';

/** How long an idle connection to an API server is kept for the next request. */
const idleSocketMs = 15_000;
/** Distinct TLS identities kept at once (a rotating client certificate makes a new one). */
const maxAgents = 8;
/** The agent options that decide which connections may carry a request. */
const identityOptions = ['ca', 'cert', 'key', 'pfx', 'passphrase', 'rejectUnauthorized', 'servername'] as const;

type Agent = http.Agent | https.Agent;

/**
 * client-node 1.x hands every request a brand-new http(s).Agent
 * (`KubeConfig.applySecurityAuthentication` → `createAgent`), so each API call opens a TCP
 * connection — and against a real API server a TLS handshake — and closes it after one
 * answer. The pool gives requests with the same TLS material one keep-alive agent instead.
 * Proxy agents (socks, hpagent) are left as client-node made them.
 */
export class AgentPool {
  private readonly agents = new Map<string, Agent>();

  /** The shared agent for what `created` would connect with, or `created` itself when it is not a plain one. */
  reuse(created: Agent): Agent {
    const plain = created.constructor === http.Agent || created.constructor === https.Agent;
    const options = (created as { options?: Record<string, unknown> }).options;
    if (!plain || !options) return created;
    const key = fingerprintOf(created instanceof https.Agent ? 'https' : 'http', options);
    const known = this.agents.get(key);
    if (known) return known;
    const settings = { ...pick(options), keepAlive: true, timeout: idleSocketMs, maxFreeSockets: 16 };
    const agent = created instanceof https.Agent ? new https.Agent(settings) : new http.Agent(settings);
    this.agents.set(key, agent);
    // The oldest identity goes; its idle sockets close on their own after idleSocketMs (in-flight ones finish).
    const [oldest] = this.agents.keys();
    if (this.agents.size > maxAgents && oldest !== undefined) this.agents.delete(oldest);
    return agent;
  }

  /** Closes every idle connection and forgets the agents (shutdown). */
  close(): void {
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
  }
}

function pick(options: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of identityOptions) if (options[name] !== undefined) out[name] = options[name];
  return out;
}

/** A hash of the identity options (key material is never kept as a map key). */
function fingerprintOf(kind: string, options: Record<string, unknown>): string {
  const hash = createHash('sha256').update(kind);
  for (const name of identityOptions) {
    const value = options[name];
    hash.update(`\0${name}=`);
    for (const part of Array.isArray(value) ? value : [value]) {
      if (Buffer.isBuffer(part)) hash.update(part);
      else hash.update(`${typeof part}:${String(part)}`);
      hash.update('\0');
    }
  }
  return hash.digest('hex');
}

/** A KubeConfig whose requests share keep-alive connections (see AgentPool). */
export class PooledKubeConfig extends KubeConfig {
  constructor(readonly agents: AgentPool = new AgentPool()) {
    super();
  }

  override async applySecurityAuthentication(context: RequestContext): Promise<void> {
    await super.applySecurityAuthentication(context);
    const created = context.getAgent();
    if (created) context.setAgent(this.agents.reuse(created));
  }
}

/** `kc`'s clusters, users and contexts in a PooledKubeConfig (with `agents`, or a pool of its own). */
export function withPooledConnections(kc: KubeConfig, agents?: AgentPool): PooledKubeConfig {
  const pooled = new PooledKubeConfig(agents ?? (kc instanceof PooledKubeConfig ? kc.agents : new AgentPool()));
  pooled.loadFromOptions({ clusters: kc.clusters, users: kc.users, contexts: kc.contexts, currentContext: kc.currentContext });
  return pooled;
}
