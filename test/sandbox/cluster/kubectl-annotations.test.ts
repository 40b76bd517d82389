import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../../../sandbox/shared/wait.js';
import { kubectlMissing, kubectlOk, useKubectlSandbox } from './kubectl-run.js';

/** A user's manifest: a worker whose program exits 1, and a web whose program listens on another port than its probe. */
const manifest = `apiVersion: v1
kind: Namespace
metadata:
  name: annotated
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker
  namespace: annotated
spec:
  replicas: 1
  selector: {matchLabels: {app: worker}}
  template:
    metadata:
      labels: {app: worker}
      annotations:
        sandbox.deckhand.dev/exit-code: "1"
        sandbox.deckhand.dev/run-seconds: "2"
        sandbox.deckhand.dev/logs: |
          starting worker
          panic: queue "orders" does not exist
    spec:
      containers:
      - name: worker
        image: registry.example.com/team/worker:1.0
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: annotated
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata:
      labels: {app: web}
      annotations:
        sandbox.deckhand.dev/listen: "9090/TCP"
    spec:
      containers:
      - name: web
        image: registry.example.com/team/web:1.0
        ports: [{containerPort: 8080}]
        readinessProbe:
          httpGet: {path: /ready, port: 8080}
          periodSeconds: 5
`;

// CI installs kubectl (.ci/run), so there a missing kubectl fails the run instead of skipping it.
describe.skipIf(kubectlMissing && process.env.CI !== 'true')('the real kubectl with the program annotations (skipped outside CI when kubectl is not on PATH)', () => {
  const box = useKubectlSandbox('sandbox-kubectl-annotations-', []);
  const ok = (...args: string[]) => kubectlOk(box.dir, '--context', 'sandbox-admin', ...args);

  it('applies a manifest with annotations; get pods, describe and logs show the crash loop and the refused probe', async () => {
    await writeFile(join(box.dir, 'app.yaml'), manifest);
    expect(await ok('apply', '-f', join(box.dir, 'app.yaml'))).toContain('deployment.apps/worker created');
    const pods = await waitFor(
      async () => {
        const out = await ok('-n', 'annotated', 'get', 'pods');
        return /worker-\S+\s+0\/1\s+(CrashLoopBackOff|Error)\s+[1-9]\d* \(\S+ ago\)/.test(out) && /web-\S+\s+0\/1\s+Running\s+0/.test(out) ? out : undefined;
      },
      { timeoutMs: 15_000, message: 'kubectl get pods never showed the crash loop and the unready web' },
    );
    expect(pods.split('\n')[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);

    const worker = (await ok('-n', 'annotated', 'get', 'pods', '-l', 'app=worker', '-o', 'name')).trim().replace('pod/', '');
    const described = await waitFor(async () => {
      const out = await ok('-n', 'annotated', 'describe', 'pod', worker);
      return /Back-off restarting failed container worker/.test(out) ? out : undefined;
    });
    expect(described).toMatch(/Last State:\s+Terminated\n\s+Reason:\s+Error\n\s+Exit Code:\s+1/);
    expect(described).toMatch(/sandbox\.deckhand\.dev\/exit-code: 1/);
    expect(described).toMatch(/Warning\s+BackOff\s+.*kubelet\s+Back-off restarting failed container worker in pod/);
    const previous = await ok('-n', 'annotated', 'logs', worker, '--previous');
    expect(previous.trimEnd().split('\n').at(-1)).toBe('panic: queue "orders" does not exist');

    const web = (await ok('-n', 'annotated', 'get', 'pods', '-l', 'app=web', '-o', 'name')).trim().replace('pod/', '');
    const webOut = await ok('-n', 'annotated', 'describe', 'pod', web);
    expect(webOut).toMatch(/Ready:\s+False/);
    expect(webOut).toMatch(/Warning\s+Unhealthy\s+.*kubelet\s+Readiness probe failed: Get "http:\/\/10\.244\.\d+\.\d+:8080\/ready": dial tcp 10\.244\.\d+\.\d+:8080: connect: connection refused/);
  });
});
