import { describe, expect, it } from 'vitest';
import { playContainer, type ContainerInput } from '../../../sandbox/cluster/controller/containers.js';
import type { Program } from '../../../sandbox/cluster/controller/program.js';

/**
 * The kubelet's restart timing, as a pure function of a container and its program: a crash is
 * backed off from its own finish; a liveness kill is backed off from the finish of the run
 * before it (kuberuntime's doBackOff reads the pod status the killing sync started from).
 */
const program = (over: Partial<Program>): Program => ({ exitCode: undefined, runMs: 2000, logs: [], memory: undefined, cpu: undefined, listen: [{ port: 8080, protocol: 'TCP' }], startMs: 0, ...over });

function play(over: Partial<ContainerInput>, now: number) {
  return playContainer({ container: { name: 'app', ports: [{ containerPort: 8080 }] }, program: program({}), firstStart: 0, oom: false, restartPolicy: 'Always', graceMs: 30_000, podIP: '10.244.1.5', now, ...over });
}

const waits = (t: ReturnType<typeof play>) => t.runs.slice(1).map((r, i) => (r.start - t.runs[i]!.end) / 1000);

describe('container restarts', () => {
  it('backs a crash loop off 10s, 20s, 40s … from each crash, the first restart at once', () => {
    const t = play({ program: program({ exitCode: 1, runMs: 2000 }) }, 200_000);
    expect(waits(t).slice(0, 5)).toEqual([0, 10, 20, 40, 80]);
  });

  it('restarts a slow starter killed by its liveness probe at once until the back-off outgrows a run, then backs off', () => {
    const container = { name: 'app', ports: [{ containerPort: 8080 }], livenessProbe: { tcpSocket: { port: 8080 }, initialDelaySeconds: 5, periodSeconds: 5, failureThreshold: 3 } };
    const t = play({ container, program: program({ startMs: 120_000 }) }, 3 * 3600_000);
    // Killed at the third failed probe (15s), dead after the 30s grace period: 45s runs.
    expect(t.runs.slice(0, 8).map((r) => (r.end - r.start) / 1000)).toEqual([45, 45, 45, 45, 45, 45, 45, 45]);
    expect(t.runs[0]!.termination).toMatchObject({ exitCode: 137, reason: 'Error' });
    // Back-off entries 10s, 20s, 40s, 80s: runs of 45s outlast the first three.
    expect(waits(t).slice(0, 9)).toEqual([0, 0, 0, 0, 0, 80, 160, 300, 0]);
    expect(t.kills).toEqual([{ message: 'Container app failed liveness probe, will be restarted', count: t.runs.length + t.skipped, firstAt: 15_000 }]);
    // Hours of it are played in cycles, not run by run.
    expect(t.skipped).toBeGreaterThan(0);
    expect(t.runs.length).toBeLessThan(30);
  });

  it('gives a probe-killed program the probe\'s own terminationGracePeriodSeconds', () => {
    const container = { name: 'app', ports: [{ containerPort: 8080 }], livenessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 5, failureThreshold: 2, terminationGracePeriodSeconds: 3 } };
    const t = play({ container, program: program({ startMs: 60_000 }) }, 20_000);
    expect((t.runs[0]!.end - t.runs[0]!.start) / 1000).toBe(8);
  });
});
