/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return -- pods and events are wire JSON */
import { describe, expect, it } from 'vitest';
import { call } from './wire.js';
import { admin, createObject, deploy, eventsOf, main, useKubeletSandbox, waitForEvent, waitForPod } from './kubelet-helpers.js';

/**
 * What the kubelet decides from other objects and the registries: ConfigMap / Secret references
 * (CreateContainerConfigError), volumes (FailedMount), image pulls and image pull secrets. Fixing
 * the object cures the pod, as the kubelet's next retry would.
 */
const ns = 'refs';
const sandbox = useKubeletSandbox(ns);
const c = () => sandbox.cluster();
const waiting = (p: any) => main(p)?.state?.waiting;

describe('ConfigMap and Secret references in the environment', () => {
  it('a missing ConfigMap, then a missing key, keep the container in CreateContainerConfigError; adding the key starts it', async () => {
    await deploy(c(), ns, 'configured', { container: { env: [{ name: 'LOG_LEVEL', valueFrom: { configMapKeyRef: { name: 'app-config', key: 'log_level' } } }] } });
    const pod = await waitForPod(c(), ns, 'configured', (p) => waiting(p)?.reason === 'CreateContainerConfigError');
    expect(waiting(pod).message).toBe('configmap "app-config" not found');
    expect(pod.status.phase).toBe('Pending');
    const failed = await waitForEvent(c(), ns, pod.metadata.name, 'Failed', (m) => m === 'Error: configmap "app-config" not found');
    expect(failed).toMatchObject({ type: 'Warning', source: { component: 'kubelet' }, involvedObject: { fieldPath: 'spec.containers{configured}' } });

    await createObject(c(), ns, 'configmaps', { metadata: { name: 'app-config' }, data: { 'log-level': 'debug' } });
    const keyless = await waitForPod(c(), ns, 'configured', (p) => waiting(p)?.message !== 'configmap "app-config" not found');
    expect(waiting(keyless)).toEqual({ reason: 'CreateContainerConfigError', message: `couldn't find key log_level in ConfigMap ${ns}/app-config` });

    const patched = await call(c(), 'PATCH', `/api/v1/namespaces/${ns}/configmaps/app-config`, { data: { log_level: 'debug' } }, { ...admin, contentType: 'application/merge-patch+json' });
    expect(patched.status).toBe(200);
    const running = await waitForPod(c(), ns, 'configured', (p) => main(p)?.ready === true);
    expect(running.status.phase).toBe('Running');
  });

  it('a missing Secret or Secret key, and envFrom a missing ConfigMap unless optional', async () => {
    await deploy(c(), ns, 'secretive', { container: { env: [{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }] } });
    await deploy(c(), ns, 'everything', { container: { envFrom: [{ configMapRef: { name: 'shared-env' } }] } });
    await deploy(c(), ns, 'relaxed', { container: { envFrom: [{ configMapRef: { name: 'shared-env', optional: true } }], env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'nope', key: 'x', optional: true } } }] } });
    expect(waiting(await waitForPod(c(), ns, 'secretive', (p) => Boolean(waiting(p)?.message))).message).toBe('secret "db" not found');
    expect(waiting(await waitForPod(c(), ns, 'everything', (p) => Boolean(waiting(p)?.message))).message).toBe('configmap "shared-env" not found');
    await waitForPod(c(), ns, 'relaxed', (p) => main(p)?.ready === true);

    await createObject(c(), ns, 'secrets', { metadata: { name: 'db' }, stringData: { user: 'app' } });
    const keyless = await waitForPod(c(), ns, 'secretive', (p) => waiting(p)?.message !== 'secret "db" not found');
    expect(waiting(keyless).message).toBe(`couldn't find key password in Secret ${ns}/db`);
  });
});

describe('volumes', () => {
  it('a configMap volume that does not exist fails to mount: ContainerCreating, no IP, FailedMount; creating it lets the pod run', async () => {
    await deploy(c(), ns, 'mounter', {
      container: { volumeMounts: [{ name: 'config', mountPath: '/etc/app' }] },
      spec: { volumes: [{ name: 'config', configMap: { name: 'web-config' } }, { name: 'tls', secret: { secretName: 'web-tls', optional: true } }] },
    });
    const pod = await waitForPod(c(), ns, 'mounter', (p) => Boolean(p.spec?.nodeName) && waiting(p)?.reason === 'ContainerCreating');
    const mount = await waitForEvent(c(), ns, pod.metadata.name, 'FailedMount');
    expect(mount).toMatchObject({ type: 'Warning', message: 'MountVolume.SetUp failed for volume "config" : configmap "web-config" not found', source: { component: 'kubelet' } });
    const stuck = await waitForPod(c(), ns, 'mounter', (p) => (p.status?.conditions ?? []).some((x: any) => x.type === 'PodReadyToStartContainers'));
    expect(stuck.status.podIP).toBeUndefined();
    expect(stuck.status.phase).toBe('Pending');

    await createObject(c(), ns, 'configmaps', { metadata: { name: 'web-config' }, data: { 'app.yaml': 'port: 8080' } });
    const running = await waitForPod(c(), ns, 'mounter', (p) => main(p)?.ready === true);
    expect(running.status.podIP).toMatch(/^10\.244\./);
  });
});

describe('images', () => {
  it('a new tag of a repository the sandbox knows is not found: ErrImagePull then ImagePullBackOff', async () => {
    const image = 'registry.example.com/shop/web:3.2.2';
    await deploy(c(), ns, 'newtag', { container: { image } });
    const pod = await waitForPod(c(), ns, 'newtag', (p) => ['ErrImagePull', 'ImagePullBackOff'].includes(waiting(p)?.reason));
    const failed = await waitForEvent(c(), ns, pod.metadata.name, 'Failed', (m) => m.startsWith('Failed to pull image'));
    expect(failed.message).toBe(
      `Failed to pull image "${image}": rpc error: code = NotFound desc = failed to pull and unpack image "${image}": failed to resolve reference "${image}": ${image}: not found`,
    );
    const backOff = await waitForPod(c(), ns, 'newtag', (p) => waiting(p)?.reason === 'ImagePullBackOff');
    expect(waiting(backOff).message).toBe(`Back-off pulling image "${image}"`);
    const events = await eventsOf(c(), ns, pod.metadata.name);
    expect(events.map((e) => `${e.reason}: ${e.message}`)).toEqual(expect.arrayContaining([`Pulling: Pulling image "${image}"`, 'Failed: Error: ErrImagePull']));
  });

  it('a Docker Hub short name is normalized in the runtime error; a .invalid registry fails DNS', async () => {
    await deploy(c(), ns, 'hub', { container: { image: 'redis:0.0.1' } });
    await deploy(c(), ns, 'nowhere', { container: { image: 'registry.shop.invalid/team/app:1.2.3' } });
    const hub = await waitForPod(c(), ns, 'hub', (p) => Boolean(waiting(p)?.message?.startsWith('rpc error')));
    expect(waiting(hub).message).toBe('rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/redis:0.0.1": failed to resolve reference "docker.io/library/redis:0.0.1": docker.io/library/redis:0.0.1: not found');
    const nowhere = await waitForPod(c(), ns, 'nowhere', (p) => Boolean(waiting(p)?.message?.startsWith('rpc error')));
    expect(waiting(nowhere).message).toBe(
      'rpc error: code = Unknown desc = failed to pull and unpack image "registry.shop.invalid/team/app:1.2.3": failed to resolve reference "registry.shop.invalid/team/app:1.2.3": failed to do request: Head "https://registry.shop.invalid/v2/team/app/manifests/1.2.3": dial tcp: lookup registry.shop.invalid: no such host',
    );
  });

  it('pullPolicy Never runs only an image already on the node', async () => {
    await deploy(c(), ns, 'offline', { container: { image: 'ghcr.io/someone/offline:1.0', imagePullPolicy: 'Never' } });
    await deploy(c(), ns, 'cached', { container: { image: 'registry.example.com/shop/web:3.2.1', imagePullPolicy: 'Never' } });
    const offline = await waitForPod(c(), ns, 'offline', (p) => waiting(p)?.reason === 'ErrImageNeverPull');
    expect(waiting(offline).message).toBe('Container image "ghcr.io/someone/offline:1.0" is not present with pull policy of Never');
    await waitForEvent(c(), ns, offline.metadata.name, 'ErrImageNeverPull');
    await waitForPod(c(), ns, 'cached', (p) => main(p)?.ready === true);
  });

  it('a repository the sandbox has never seen is public and pulls; a missing image pull secret only warns', async () => {
    await deploy(c(), ns, 'stranger', { container: { image: 'ghcr.io/someone/tool:0.4.1' }, spec: { imagePullSecrets: [{ name: 'regcred' }] } });
    const pod = await waitForPod(c(), ns, 'stranger', (p) => main(p)?.ready === true);
    const events = await eventsOf(c(), ns, pod.metadata.name);
    expect(events.find((e) => e.reason === 'Pulled')?.message).toMatch(/^Successfully pulled image "ghcr\.io\/someone\/tool:0\.4\.1" in \S+ \(\S+ including waiting\)\. Image size: \d+ bytes\.$/);
    expect(events.find((e) => e.reason === 'FailedToRetrieveImagePullSecret')).toMatchObject({
      type: 'Warning',
      message: 'Unable to retrieve some image pull secrets (regcred); attempting to pull the image may not succeed.',
    });
    expect(main(pod).imageID).toMatch(/^ghcr\.io\/someone\/tool@sha256:[0-9a-f]{64}$/);
  });
});
