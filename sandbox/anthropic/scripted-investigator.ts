import type { FakeReply, FakeScript, RecordedRequest } from './server.js';

export interface ScriptedInvestigatorOptions {
  namespace: string;
  /** Workload to look at (get_deployment, find_workload). */
  deployment?: string;
  node?: string;
  /** Raw propose_action inputs, sent as given (so tests can send invalid or hostile ones). */
  proposals: unknown[];
  summary?: string;
  /**
   * `always` (default): the first turn calls every read tool. `unless-seeded`: when the first
   * message already carries the built-in analyzers' findings (with their evidence), the model
   * trusts them and only confirms with the one tool about the target (get_deployment, or
   * get_node for a node), as a model told to confirm or refute those findings would.
   */
  sweep?: 'always' | 'unless-seeded';
}

/**
 * A fake Claude that investigates like the real one would: every read tool once (list_pods,
 * find_workload, get_deployment, get_events, get_hpa, get_node), then the pod tools on the
 * first pod list_pods returned, then propose_action with its summary in the same turn (or
 * the summary alone when nothing fits). With `sweep: 'unless-seeded'` and findings in the
 * seed: one confirming call, then the proposals.
 */
export function scriptedInvestigator(options: ScriptedInvestigatorOptions): FakeScript {
  const ns = options.namespace;
  return (request, turn): FakeReply => {
    if (options.sweep === 'unless-seeded' && hasSeededFindings(request)) {
      if (turn > 0) return proposalsTurn(options);
      const confirm = options.deployment ? { name: 'get_deployment', input: { namespace: ns, name: options.deployment } } : { name: 'get_node', input: { name: options.node ?? 'node-1' } };
      return { text: 'The analyzers found the cause; confirming.', toolUses: [confirm] };
    }
    switch (turn) {
      case 0:
        return {
          text: 'Let me look at the workload.',
          toolUses: [
            { id: 'toolu_list_pods', name: 'list_pods', input: { namespace: ns } },
            { name: 'find_workload', input: { name: options.deployment ?? ns } },
            ...(options.deployment ? [{ name: 'get_deployment', input: { namespace: ns, name: options.deployment } }] : []),
            { name: 'get_events', input: { namespace: ns } },
            { name: 'get_hpa', input: { namespace: ns } },
            { name: 'get_node', input: { name: options.node ?? 'node-1' } },
          ],
        };
      case 1: {
        const pod = firstPod(request, options.deployment);
        if (!pod) return proposalsTurn(options);
        return {
          toolUses: [
            { name: 'get_pod_status', input: { namespace: ns, pod } },
            { name: 'describe_pod', input: { namespace: ns, pod } },
            { name: 'get_pod_logs', input: { namespace: ns, pod, previous: true, tailLines: 50 } },
          ],
        };
      }
      case 2:
        return proposalsTurn(options);
      default:
        return { text: options.summary ?? defaultSummary };
    }
  };
}

const defaultSummary = 'Summary: the evidence matches the analyzers; I proposed the fix above.';

function proposalsTurn(options: ScriptedInvestigatorOptions): FakeReply {
  if (options.proposals.length === 0) return { text: options.summary ?? 'No action fits.' };
  return { text: options.summary ?? defaultSummary, toolUses: options.proposals.map((input) => ({ name: 'propose_action', input })) };
}

/** The first user message lists at least one built-in finding (buildSeedMessage's format). */
function hasSeededFindings(request: RecordedRequest): boolean {
  const first = request.body.messages?.[0];
  const text = JSON.stringify(first?.content ?? '');
  return text.includes('Built-in analyzer findings:') && !text.includes('Built-in analyzer findings:\\n- none matched');
}

/** The first pod name in the list_pods result (lines start with the pod name). */
function firstPod(request: RecordedRequest, prefer: string | undefined): string | undefined {
  for (const m of request.body.messages ?? []) {
    if (m.role !== 'user' || !Array.isArray(m.content)) continue;
    for (const block of m.content as { type?: string; tool_use_id?: string; content?: unknown }[]) {
      if (block.type !== 'tool_result' || block.tool_use_id !== 'toolu_list_pods' || typeof block.content !== 'string') continue;
      const names = block.content.split('\n').map((l) => l.split(/\s+/)[0] ?? '').filter((n) => /^[a-z0-9][-a-z0-9.]*$/.test(n));
      return names.find((n) => prefer !== undefined && n.startsWith(`${prefer}-`)) ?? names[0];
    }
  }
  return undefined;
}
