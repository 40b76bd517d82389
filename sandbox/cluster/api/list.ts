import type { ClusterContext } from '../controller/context.js';
import { storeKeyOf } from '../resources.js';
import type { KubeObject } from '../types.js';
import { present, type Target } from './objects.js';
import { parseFieldSelector, parseLabelSelector } from './selectors.js';
import { StatusError, badRequest, expired, tooLargeResourceVersion } from './status.js';

export interface ListMeta {
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

export interface ListPage {
  items: KubeObject[];
  metadata: ListMeta;
}

/** The continue token's payload, as the etcd3 store encodes it (base64 of this JSON). */
interface ContinueToken {
  v: string;
  rv: number;
  start: string;
}

const tokenVersion = 'meta.k8s.io/v1';
const listTooOld = 'The resourceVersion for the provided list is too old.';
const continueTooOld =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

const encodeToken = (token: ContinueToken): string => Buffer.from(JSON.stringify(token)).toString('base64url');

function decodeToken(raw: string): ContinueToken {
  let token: Partial<ContinueToken>;
  try {
    token = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Partial<ContinueToken>;
  } catch {
    throw badRequest('invalid continue token: continue key is not valid: the token could not be decoded');
  }
  if (token.v !== tokenVersion) throw badRequest(`invalid continue token: continue key is not valid: server does not recognize this encoded version "${String(token.v)}"`);
  if (typeof token.rv !== 'number' || token.rv === 0) throw badRequest('invalid continue token: continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  if (typeof token.start !== 'string' || token.start === '') throw badRequest('invalid continue token: continue key is not valid: encoded start key empty');
  return { v: tokenVersion, rv: token.rv, start: token.start };
}

function parseVersion(raw: string): number {
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n)) throw badRequest(`invalid resource version: ${raw}`);
  return n;
}

/** Byte order, as etcd orders keys. */
const byKey = (a: [string, KubeObject], b: [string, KubeObject]): number => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

/** Which objects the list reads, and at which version: a continue token's, an exact one, or now. */
function chooseSnapshot(ctx: ClusterContext, table: string, query: URLSearchParams): { at: number; start: string; objects: KubeObject[] } {
  const current = Number(ctx.store.currentVersion());
  const raw = query.get('continue');
  if (raw) {
    const token = decodeToken(raw);
    // rv -1 is the "inconsistent" token handed out with a 410: continue at the latest version.
    const at = token.rv === -1 ? current : token.rv;
    const objects = ctx.store.snapshot(table, at);
    if (!objects) {
      const error = expired(continueTooOld);
      error.metadata = { continue: encodeToken({ v: tokenVersion, rv: -1, start: token.start }) };
      throw error;
    }
    return { at, start: token.start, objects };
  }
  const rv = query.get('resourceVersion');
  if (rv && rv !== '0') {
    const wanted = parseVersion(rv);
    if (wanted > current) throw tooLargeResourceVersion(wanted, current);
    if (query.get('resourceVersionMatch') === 'Exact') {
      const objects = ctx.store.snapshot(table, wanted);
      if (!objects) throw expired(listTooOld);
      return { at: wanted, start: '', objects };
    }
  }
  return { at: current, start: '', objects: ctx.store.list(table) };
}

/**
 * A list as the API server pages it: objects in key order from a snapshot at one resourceVersion;
 * with `limit`, a page and an opaque `continue` token that reads the rest of the same snapshot,
 * and `remainingItemCount` when no selector filters the list.
 */
export function listPage(ctx: ClusterContext, t: Target, query: URLSearchParams): ListPage {
  const labels = parseLabelSelector(query.get('labelSelector'));
  const fields = parseFieldSelector(query.get('fieldSelector'));
  const filtered = Boolean(query.get('labelSelector') || query.get('fieldSelector'));
  const limitRaw = query.get('limit');
  const limit = limitRaw ? Number(limitRaw) : 0;
  if (!Number.isInteger(limit)) throw new StatusError(400, 'BadRequest', `limit: Invalid value: "${limitRaw}": must be an integer`);
  const namespace = t.info.namespaced ? t.namespace : undefined;
  const { at, start, objects } = chooseSnapshot(ctx, storeKeyOf(t.info), query);
  // Keys relative to the list's prefix: "name" within a namespace, "namespace/name" across them.
  const keyOf = (o: KubeObject): string => (t.info.namespaced && namespace === undefined ? `${o.metadata.namespace ?? ''}/${o.metadata.name}` : o.metadata.name);
  const keyed = objects
    .filter((o) => namespace === undefined || o.metadata.namespace === namespace)
    .map((o): [string, KubeObject] => [keyOf(o), o])
    .filter(([key]) => key >= start)
    .sort(byKey);
  const items: KubeObject[] = [];
  let next = 0;
  while (next < keyed.length && (limit <= 0 || items.length < limit)) {
    const entry = keyed[next++];
    if (!entry) break;
    const o = present(t.info, entry[1]);
    if (labels(o) && fields(o)) items.push(o);
  }
  const metadata: ListMeta = { resourceVersion: String(at) };
  const last = keyed[next - 1];
  if (limit > 0 && next < keyed.length && last) {
    metadata.continue = encodeToken({ v: tokenVersion, rv: at, start: `${last[0]}\u0000` });
    if (!filtered) metadata.remainingItemCount = keyed.length - next;
  }
  return { items, metadata };
}
