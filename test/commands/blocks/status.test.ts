import { describe, expect, it } from 'vitest';
import { buildClustersMessage, buildModeMessage, buildStatusMessage, type StatusView } from '../../../src/commands/blocks/status.js';

const view: StatusView = {
  channel: 'CINC',
  mode: 'approval',
  modeSource: 'runtime',
  paused: { global: false, clusters: ['prod'] },
  incidents: [{ id: 'inc-1', title: 'web <down>', severity: 'critical', status: 'triggered' }],
  pendingProposals: [{ id: 'p-1', summary: 'kubectl rollout restart deployment/web -n shop', risk: 'low', incidentId: 'inc-1' }],
  breakers: [{ cluster: 'prod', state: 'open', detail: '3 failures' }],
};

describe('buildStatusMessage', () => {
  it('shows mode, pause, incidents, proposals and breakers', () => {
    const all = JSON.stringify(buildStatusMessage(view));
    expect(all).toContain('`approval`');
    expect(all).toContain('paused on `prod`');
    expect(all).toContain('inc-1');
    expect(all).toContain('web &lt;down&gt;');
    expect(all).toContain('p-1');
    expect(all).toContain('`prod`: open');
  });

  it('shows each incident’s lifecycle status as the root does, mitigated included', () => {
    const all = JSON.stringify(
      buildStatusMessage({ ...view, incidents: [{ id: 'inc-1', title: 'a', severity: 'high', status: 'mitigated' }, { id: 'inc-2', title: 'b', severity: 'high', status: 'acknowledged' }] }),
    );
    expect(all).toContain(':adhesive_bandage: mitigated');
    expect(all).toContain(':eyes: acknowledged');
  });

  it('says unknown, not none, for what it could not read', () => {
    const all = JSON.stringify(buildStatusMessage({ ...view, incidents: 'unknown', breakers: [], paused: 'unknown' }));
    expect(all).toContain('unknown: could not be read');
    expect(all).toContain('_none_');
    expect(all).toContain('pause state unreadable');
  });
});

describe('buildModeMessage / buildClustersMessage', () => {
  it('tells who changed the mode from what', () => {
    expect(buildModeMessage({ channel: 'C1', mode: 'plan', changedBy: 'UALICE', previous: 'yolo' }).text).toBe('<@UALICE> set the mode of <#C1> to `plan` (was `yolo`).');
  });
  it('marks unreachable clusters', () => {
    const { text } = buildClustersMessage([{ name: 'prod', ok: true }, { name: 'lab', ok: false, detail: 'ECONNREFUSED' }]);
    expect(text).toBe('prod: reachable, lab: unreachable');
  });
});
