import { describe, expect, it } from 'vitest';
import { waitFor } from '../../../sandbox/shared/wait.js';
import { kubectlIn, kubectlMissing, kubectlOk, useKubectlSandbox } from './kubectl-run.js';

// CI installs kubectl (.ci/run), so there a missing kubectl fails the run instead of skipping it.
describe.skipIf(kubectlMissing && process.env.CI !== 'true')('the real kubectl against the sandbox (skipped outside CI when kubectl is not on PATH)', () => {
  const box = useKubectlSandbox('sandbox-kubectl-');
  const kubectl = (...args: string[]) => kubectlIn(box.dir, ...args);
  const ok = (...args: string[]) => kubectlOk(box.dir, ...args);
  const firstPod = async (app: string) => (await ok('-n', 'shop', 'get', 'pods', '-l', `app=${app}`, '-o', 'name')).split('\n')[0]!.replace('pod/', '');

  it('get pods prints real columns and the statuses a cluster shows', async () => {
    const out = await ok('-n', 'shop', 'get', 'pods');
    expect(out.split('\n')[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    expect(out).toMatch(/checkout-\S+\s+0\/1\s+(CrashLoopBackOff|Error)\s+\d+ \(\S+ ago\)/);
    expect(out).toMatch(/cart-\S+\s+0\/1\s+(CrashLoopBackOff|OOMKilled)\s+\d+/);
    expect(out).toMatch(/frontend-\S+\s+0\/1\s+(ImagePullBackOff|ErrImagePull)\s+0/);
    expect(out).toMatch(/search-\S+\s+0\/1\s+Pending\s+0/);
    expect(out).toMatch(/payments-\S+\s+0\/1\s+Running\s+0/);
    const wide = await ok('-n', 'shop', 'get', 'pods', '-o', 'wide');
    expect(wide.split('\n')[0]).toMatch(/IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES$/);
  });

  it('get deployments, nodes and events print their columns', async () => {
    const deployments = await ok('-n', 'shop', 'get', 'deployments');
    expect(deployments.split('\n')[0]).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE$/);
    expect(deployments).toMatch(/checkout\s+0\/3\s+3\s+0/);
    const nodes = await ok('get', 'nodes');
    expect(nodes).toMatch(/node-3\s+NotReady/);
    const search = await firstPod('search');
    const events = await ok('-n', 'shop', 'get', 'events', '--field-selector', `involvedObject.name=${search}`);
    expect(events.split('\n')[0]).toMatch(/^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$/);
    expect(events).toContain('FailedScheduling');
    expect(events).toContain('2 Insufficient memory');
  });

  it('describe pod shows the crash loop and its events', async () => {
    const out = await ok('-n', 'shop', 'describe', 'pod', await firstPod('checkout'));
    expect(out).toMatch(/Last State:\s+Terminated/);
    expect(out).toMatch(/Exit Code:\s+1/);
    expect(out).toMatch(/PAYMENT_URL:\s+htp:\/\/payments/);
    expect(out).toMatch(/Warning\s+BackOff\s+.*kubelet\s+Back-off restarting failed container checkout/);
  });

  it('logs and logs --previous give the crashed container, and the kubelet errors otherwise', async () => {
    const pod = await firstPod('checkout');
    const previous = await ok('-n', 'shop', 'logs', pod, '--previous');
    expect(previous.trimEnd().split('\n').at(-1)).toBe('FATAL config: PAYMENT_URL "htp://payments" is not a valid URL');
    // Between crashes the current log is the crashed container's; while it runs again, its own lines.
    const tail = await ok('-n', 'shop', 'logs', pod, '--tail=1');
    expect(tail.split('\n')).toHaveLength(2);
    expect(previous).toContain(tail);
    const web = await firstPod('web');
    const none = await kubectl('-n', 'shop', 'logs', web, '--previous');
    expect(none.code).not.toBe(0);
    expect(none.stderr).toContain(`Error from server (BadRequest): previous terminated container "web" in pod "${web}" not found`);
  });

  it('scale converges and prints "scaled"', async () => {
    expect(await ok('-n', 'shop', 'scale', 'deployment/web', '--replicas=4')).toBe('deployment.apps/web scaled\n');
    await box.cluster.settle();
    expect(await ok('-n', 'shop', 'get', 'deployment', 'web')).toMatch(/web\s+4\/4\s+4\s+4/);
  });

  it('set resources then rollout status waits for the rollout', async () => {
    expect(await ok('-n', 'shop', 'set', 'resources', 'deployment/cart', '-c', 'cart', '--limits=memory=512Mi')).toBe('deployment.apps/cart resource requirements updated\n');
    const status = await ok('-n', 'shop', 'rollout', 'status', 'deployment/cart', '--timeout=15s');
    expect(status).toContain('deployment "cart" successfully rolled out');
  });

  it('rollout restart, then undo, with history and a stuck rollout reported as failed', async () => {
    expect(await ok('-n', 'shop', 'rollout', 'restart', 'deployment/api')).toBe('deployment.apps/api restarted\n');
    await box.cluster.settle();
    expect(await ok('-n', 'shop', 'rollout', 'undo', 'deployment/checkout')).toBe('deployment.apps/checkout rolled back\n');
    expect(await ok('-n', 'shop', 'rollout', 'status', 'deployment/checkout', '--timeout=15s')).toContain('successfully rolled out');
    expect(await ok('-n', 'shop', 'rollout', 'history', 'deployment/checkout')).toMatch(/REVISION\s+CHANGE-CAUSE\n2\s+<none>\n3\s+<none>/);
    const stuck = await kubectl('-n', 'shop', 'rollout', 'status', 'deployment/payments', '--timeout=10s');
    expect(stuck.code).not.toBe(0);
    expect(stuck.stderr).toContain('deployment "payments" exceeded its progress deadline');
  });

  it('delete pod waits for the graceful delete and the pod is replaced', async () => {
    const pod = await firstPod('web');
    expect(await ok('-n', 'shop', 'delete', 'pod', pod)).toBe(`pod "${pod}" deleted\n`);
    await box.cluster.settle();
    const pods = await ok('-n', 'shop', 'get', 'pods', '-l', 'app=web', '-o', 'name');
    expect(pods).not.toContain(pod);
    expect(pods.trim().split('\n')).toHaveLength(4);
  });

  it('cordon marks the node unschedulable', async () => {
    expect(await ok('cordon', 'node-2')).toBe('node/node-2 cordoned\n');
    expect(box.cluster.getObject('Node', undefined, 'node-2')).toMatchObject({ spec: { unschedulable: true } });
    await waitFor(async () => /node-2\s+Ready,SchedulingDisabled/.test(await ok('get', 'nodes')), { timeoutMs: 5000 });
    expect(await ok('uncordon', 'node-2')).toBe('node/node-2 uncordoned\n');
  });

  it('a server-side dry run changes nothing', async () => {
    const pod = await firstPod('api');
    expect(await ok('-n', 'shop', 'delete', 'pod', pod, '--dry-run=server')).toContain('deleted (server dry run)');
    // kubectl 1.20 (Debian's, what CI installs) prints plain "scaled"; newer ones add "(server dry run)".
    expect(await ok('-n', 'shop', 'scale', 'deployment/api', '--replicas=5', '--dry-run=server')).toMatch(/^deployment\.apps\/api scaled/);
    expect(box.cluster.requests.some((r) => r.path === '/apis/apps/v1/namespaces/shop/deployments/api/scale' && r.query.includes('dryRun=All'))).toBe(true);
    expect(box.cluster.getObject('Pod', 'shop', pod)).toMatchObject({ metadata: { name: pod } });
    expect(box.cluster.getObject('Deployment', 'shop', 'api')).toMatchObject({ spec: { replicas: 2 } });
  });
});
