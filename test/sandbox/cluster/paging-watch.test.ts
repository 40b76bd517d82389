import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxCluster, type SandboxCluster } from '../../../sandbox/cluster/index.js';
import { call, nextEvent, openWatch } from './wire.js';

let cluster: SandboxCluster;

beforeAll(async () => {
  cluster = await startSandboxCluster({ timeScale: 100, scenarios: ['shop-healthy'] });
  await cluster.settle();
  await call(cluster, 'POST', '/api/v1/namespaces', { metadata: { name: 'paging' } });
  for (const n of ['a', 'b', 'c', 'd', 'e']) await call(cluster, 'POST', '/api/v1/namespaces/paging/configmaps', { metadata: { name: `cm-${n}` }, data: { k: n } });
});
afterAll(async () => {
  await cluster.close();
});

const names = (list: { items: { metadata: { name: string; namespace?: string } }[] }) => list.items.map((o) => o.metadata.name);
const token = (rv: number, start: string) => Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, start })).toString('base64url');

describe('list pagination', () => {
  it('pages every list with limit and continue, counting what remains, at one resourceVersion', async () => {
    const seen: string[] = [];
    let page = await call(cluster, 'GET', '/api/v1/pods?limit=2');
    const rv = page.body.metadata.resourceVersion;
    const whole = await call(cluster, 'GET', `/api/v1/pods?resourceVersion=${rv}&resourceVersionMatch=Exact`);
    expect(whole.body.metadata.continue).toBeUndefined();
    expect(page.body.items).toHaveLength(2);
    expect(page.body.metadata.remainingItemCount).toBe(whole.body.items.length - 2);
    for (;;) {
      seen.push(...page.body.items.map((p: { metadata: { namespace: string; name: string } }) => `${p.metadata.namespace}/${p.metadata.name}`));
      expect(page.body.metadata.resourceVersion).toBe(rv);
      if (!page.body.metadata.continue) break;
      page = await call(cluster, 'GET', `/api/v1/pods?limit=2&continue=${encodeURIComponent(page.body.metadata.continue)}`);
    }
    expect(seen).toEqual(whole.body.items.map((p: { metadata: { namespace: string; name: string } }) => `${p.metadata.namespace}/${p.metadata.name}`));
    expect(new Set(seen).size).toBe(whole.body.items.length);
  });

  it('continues from the snapshot of the first page, whatever changed since', async () => {
    const first = await call(cluster, 'GET', '/api/v1/namespaces/paging/configmaps?limit=2');
    expect(names(first.body)).toEqual(['cm-a', 'cm-b']);
    expect(first.body.metadata.remainingItemCount).toBe(3);
    await call(cluster, 'DELETE', '/api/v1/namespaces/paging/configmaps/cm-d');
    await call(cluster, 'POST', '/api/v1/namespaces/paging/configmaps', { metadata: { name: 'cm-ca' } });
    await call(cluster, 'PATCH', '/api/v1/namespaces/paging/configmaps/cm-e', { data: { k: 'changed' } }, { contentType: 'application/merge-patch+json' });
    const rest = await call(cluster, 'GET', `/api/v1/namespaces/paging/configmaps?limit=10&continue=${first.body.metadata.continue}`);
    expect(names(rest.body)).toEqual(['cm-c', 'cm-d', 'cm-e']);
    expect(rest.body.items[2].data).toEqual({ k: 'e' });
    expect(rest.body.metadata.resourceVersion).toBe(first.body.metadata.resourceVersion);
    const now = await call(cluster, 'GET', '/api/v1/namespaces/paging/configmaps');
    expect(names(now.body)).toEqual(['cm-a', 'cm-b', 'cm-c', 'cm-ca', 'cm-e']);
  });

  it('leaves remainingItemCount out when a selector filters, and still pages', async () => {
    const page = await call(cluster, 'GET', '/api/v1/namespaces/shop/pods?limit=1&labelSelector=app%3Dweb');
    expect(page.body.items).toHaveLength(1);
    expect(page.body.metadata.continue).toBeTruthy();
    expect(page.body.metadata.remainingItemCount).toBeUndefined();
  });

  it('answers 410 Expired for a continue token older than the kept history, with a token to go on', async () => {
    const res = await call(cluster, 'GET', `/api/v1/namespaces/paging/configmaps?limit=2&continue=${token(5, 'cm-b\u0000')}`);
    expect(res.status).toBe(410);
    expect(res.body).toMatchObject({ kind: 'Status', reason: 'Expired', code: 410 });
    expect(res.body.message).toMatch(/^The provided continue parameter is too old to display a consistent list result\. You can start a new list without the continue parameter/);
    const rest = await call(cluster, 'GET', `/api/v1/namespaces/paging/configmaps?limit=10&continue=${res.body.metadata.continue}`);
    expect(names(rest.body)).toEqual(['cm-c', 'cm-ca', 'cm-e']);
    const bad = await call(cluster, 'GET', '/api/v1/namespaces/paging/configmaps?limit=2&continue=not-a-token');
    expect(bad).toMatchObject({ status: 400, body: { reason: 'BadRequest' } });
  });

  it('reads an exact past resourceVersion, and refuses one from the future', async () => {
    const before = await call(cluster, 'GET', '/api/v1/namespaces/paging/configmaps');
    await call(cluster, 'POST', '/api/v1/namespaces/paging/configmaps', { metadata: { name: 'cm-later' } });
    const exact = await call(cluster, 'GET', `/api/v1/namespaces/paging/configmaps?resourceVersion=${before.body.metadata.resourceVersion}&resourceVersionMatch=Exact`);
    expect(names(exact.body)).toEqual(names(before.body));
    const future = await call(cluster, 'GET', '/api/v1/namespaces/paging/configmaps?resourceVersion=99999999');
    expect(future.status).toBe(504);
    expect(future.body.message).toMatch(/^Timeout: Too large resource version: 99999999, current: \d+$/);
  });

  it('reads boolean query parameters as the API server does', async () => {
    for (const value of ['True', '1', 'true', 'yes']) {
      const watch = await openWatch(cluster, `/api/v1/namespaces/paging/configmaps?watch=${value}&timeoutSeconds=5`);
      await nextEvent(watch, (e) => e.type === 'ADDED' && e.object.metadata.name === 'cm-a');
      watch.close();
    }
    for (const value of ['false', 'False', '0']) {
      const list = await call(cluster, 'GET', `/api/v1/namespaces/paging/configmaps?watch=${value}`);
      expect(list.body.kind).toBe('ConfigMapList');
    }
  });
});

describe('watch', () => {
  it('resumes after a resourceVersion with only what happened since, in order', async () => {
    const list = await call(cluster, 'GET', '/api/v1/namespaces/paging/configmaps');
    await call(cluster, 'POST', '/api/v1/namespaces/paging/configmaps', { metadata: { name: 'cm-w1' } });
    await call(cluster, 'PATCH', '/api/v1/namespaces/paging/configmaps/cm-w1', { data: { x: '1' } }, { contentType: 'application/merge-patch+json' });
    const watch = await openWatch(cluster, `/api/v1/namespaces/paging/configmaps?watch=1&resourceVersion=${list.body.metadata.resourceVersion}`);
    await call(cluster, 'DELETE', '/api/v1/namespaces/paging/configmaps/cm-w1');
    await nextEvent(watch, (e) => e.type === 'DELETED');
    watch.close();
    expect(watch.events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED cm-w1', 'MODIFIED cm-w1', 'DELETED cm-w1']);
    const versions = watch.events.map((e) => Number(e.object.metadata.resourceVersion));
    expect([...versions].sort((a, b) => a - b)).toEqual(versions);
    expect(versions[0]).toBeGreaterThan(Number(list.body.metadata.resourceVersion));
  });

  it('sends 410 Gone as an ERROR event when the version is older than the kept window', async () => {
    const watch = await openWatch(cluster, '/api/v1/namespaces/paging/configmaps?watch=true&resourceVersion=7');
    const error = await nextEvent(watch, (e) => e.type === 'ERROR');
    expect(error.object).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Expired', code: 410, message: 'too old resource version: 7 (1000)' });
    await nextEvent(watch, () => watch.ended());
  });

  it('applies label selectors to both sides of a change: ADDED on entering, DELETED on leaving', async () => {
    const list = await call(cluster, 'GET', '/api/v1/namespaces/paging/configmaps');
    const watch = await openWatch(cluster, `/api/v1/namespaces/paging/configmaps?watch=true&labelSelector=tier%3Dfront&resourceVersion=${list.body.metadata.resourceVersion}`);
    const label = (tier: string) => call(cluster, 'PATCH', '/api/v1/namespaces/paging/configmaps/cm-a', { metadata: { labels: { tier } } }, { contentType: 'application/merge-patch+json' });
    await label('front');
    await label('back');
    await call(cluster, 'PATCH', '/api/v1/namespaces/paging/configmaps/cm-b', { data: { unrelated: 'yes' } }, { contentType: 'application/merge-patch+json' });
    await label('front');
    await nextEvent(watch, (e) => e.type === 'ADDED' && e.object.metadata.labels?.tier === 'front' && watch.events.length >= 3);
    watch.close();
    expect(watch.events.map((e) => `${e.type} ${e.object.metadata.name} ${e.object.metadata.labels?.tier}`)).toEqual(['ADDED cm-a front', 'DELETED cm-a front', 'ADDED cm-a front']);
  });

  it('sends bookmarks carrying only the resourceVersion, and ends at timeoutSeconds', async () => {
    const watch = await openWatch(cluster, '/api/v1/namespaces/paging/configmaps?watch=true&allowWatchBookmarks=true&timeoutSeconds=3');
    const bookmark = await nextEvent(watch, (e) => e.type === 'BOOKMARK');
    expect(bookmark.object).toEqual({ kind: 'ConfigMap', apiVersion: 'v1', metadata: { resourceVersion: expect.stringMatching(/^\d+$/) } });
    await nextEvent(watch, () => watch.ended());
    const plain = await openWatch(cluster, '/api/v1/namespaces/paging/configmaps?watch=true&timeoutSeconds=1');
    await nextEvent(plain, () => plain.ended());
    expect(plain.events.some((e) => e.type === 'BOOKMARK')).toBe(false);
  });

  it('watches one object by name and through the legacy /watch/ path', async () => {
    const one = await openWatch(cluster, '/api/v1/namespaces/paging/configmaps/cm-c?watch=true');
    const legacy = await openWatch(cluster, '/api/v1/watch/namespaces/paging/configmaps');
    await nextEvent(legacy, (e) => e.object.metadata.name === 'cm-e');
    await call(cluster, 'PATCH', '/api/v1/namespaces/paging/configmaps/cm-c', { data: { k: 'c2' } }, { contentType: 'application/merge-patch+json' });
    await nextEvent(one, (e) => e.type === 'MODIFIED');
    await nextEvent(legacy, (e) => e.type === 'MODIFIED' && e.object.metadata.name === 'cm-c');
    one.close();
    legacy.close();
    expect(new Set(one.events.map((e) => String(e.object.metadata.name)))).toEqual(new Set(['cm-c']));
  });

  it('refuses a watch from a resourceVersion the store has not reached', async () => {
    const res = await call(cluster, 'GET', '/api/v1/namespaces/paging/configmaps?watch=true&resourceVersion=99999999');
    expect(res.status).toBe(504);
  });
});
