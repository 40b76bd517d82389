import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { ClusterContext } from '../controller/context.js';
import { decodeKubernetesProtobuf, protobufContentType } from '../proto/decode.js';
import { findResource, groupVersions, isAccessReview, isMetrics, type ResourceInfo } from '../resources.js';
import { answerAccessReview } from './access-review.js';
import { effectiveUser, identify, type RequestIdentity } from './authn.js';
import { authorize, verbOfRequest } from './rbac.js';
import { aggregatedContentType, aggregatedDiscovery, legacyApiVersions, legacyGroup, legacyGroupList, resourceList, versionInfo } from './discovery.js';
import { evictPod } from './eviction.js';
import { listPage } from './list.js';
import { readPodLog } from './logs.js';
import { readMetrics } from './metrics.js';
import { openapiV2Json, openapiV2Protobuf, openapiV2ProtobufType, openapiV3Document, openapiV3Index } from './openapi.js';
import { createObject, deleteObject, getObject, handleScale, patchObject, replaceObject, type Target } from './objects.js';
import { queryFlag } from './query.js';
import { StatusError, badRequest, forbidden, methodNotAllowed } from './status.js';
import { buildTable, tableContentType } from './tables.js';
import { checkWatchRequest, createWatchRegistry, serveWatch } from './watch.js';

export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  /** The query string without "?", "" when none. */
  query: string;
  status: number;
  /** Who sent it (the bearer token's user), as a Kubernetes audit event's `user.username`. */
  user?: string;
  /** Whom it impersonated, as an audit event's `impersonatedUser` (Impersonate-User / -Group). */
  impersonatedUser?: { username: string; groups: string[] };
}

export interface FaultState {
  latencyMs: number;
  denyWrites: boolean;
  failCount: number;
  failStatus: number;
}

export interface ApiServer {
  server: Server;
  requests: RecordedRequest[];
  faults: FaultState;
  dropWatches(): void;
}

const verbOf: Record<string, string> = { POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };
const reasonOfCode: Record<number, string> = { 429: 'TooManyRequests', 500: 'InternalError', 503: 'ServiceUnavailable', 504: 'Timeout' };

interface Reply {
  status: number;
  body?: unknown;
  text?: string;
  /** A binary body (protobuf). */
  raw?: Buffer;
  contentType?: string;
}

const json = (body: unknown, status = 200): Reply => ({ status, body });

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  // client-go's typed clients (kubectl create namespace, configmap, job…) send protobuf.
  if (req.headers['content-type']?.startsWith(protobufContentType)) return decodeKubernetesProtobuf(Buffer.concat(chunks));
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw badRequest('the body of the request could not be decoded as JSON');
  }
}

function parseTarget(segments: string[], info: (plural: string) => ResourceInfo | undefined): Target | undefined {
  let ns: string | undefined;
  let rest = segments;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    ns = rest[1];
    rest = rest.slice(2);
  }
  const [plural, name, subresource] = rest;
  if (!plural || rest.length > 3) return undefined;
  const found = info(plural);
  if (!found) return undefined;
  return { info: found, namespace: ns, name, subresource };
}

export function createApiServer(ctx: ClusterContext, serverAddress: () => string): ApiServer {
  const requests: RecordedRequest[] = [];
  const faults: FaultState = { latencyMs: 0, denyWrites: false, failCount: 0, failStatus: 500 };
  const watches = createWatchRegistry();

  const handle = async (req: IncomingMessage, res: ServerResponse, url: URL, identity: RequestIdentity): Promise<Reply | undefined> => {
    const method = req.method ?? 'GET';
    const accept = req.headers.accept ?? '';
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const query = url.searchParams;
    if (faults.failCount > 0) {
      faults.failCount -= 1;
      const code = faults.failStatus;
      throw new StatusError(code, reasonOfCode[code] ?? 'InternalError', code === 500 ? 'Internal error occurred: injected failure' : `injected failure (${code})`);
    }
    if (path === '/version') return json(versionInfo);
    if (path === '/healthz' || path === '/readyz' || path === '/livez') return { status: 200, text: 'ok', contentType: 'text/plain; charset=utf-8' };
    if (path === '/openapi/v2') {
      if (accept.includes('protobuf')) return { status: 200, raw: openapiV2Protobuf(), contentType: openapiV2ProtobufType };
      return json(openapiV2Json());
    }
    if (path === '/openapi/v3') return json(openapiV3Index());
    if (path.startsWith('/openapi/v3/')) {
      const doc = openapiV3Document(path);
      if (doc) return json(doc);
      throw new StatusError(404, 'NotFound', 'the server could not find the requested resource');
    }
    if (path === '/api' || path === '/apis') {
      if (accept.includes('as=APIGroupDiscoveryList')) return { status: 200, body: aggregatedDiscovery(path === '/api'), contentType: aggregatedContentType };
      return json(path === '/api' ? legacyApiVersions(serverAddress()) : legacyGroupList());
    }
    const segs = path.split('/').slice(1);
    let group: string;
    let version: string;
    let rest: string[];
    if (segs[0] === 'api' && segs[1]) [group, version, rest] = ['', segs[1], segs.slice(2)];
    else if (segs[0] === 'apis' && segs[1] && segs[2]) [group, version, rest] = [segs[1], segs[2], segs.slice(3)];
    else if (segs[0] === 'apis' && segs[1]) {
      const g = legacyGroup(segs[1]);
      if (g) return json(g);
      throw new StatusError(404, 'NotFound', 'the server could not find the requested resource');
    } else throw new StatusError(404, 'NotFound', 'the server could not find the requested resource');
    if (!groupVersions.some((gv) => gv.group === group && gv.version === version)) throw new StatusError(404, 'NotFound', 'the server could not find the requested resource');
    if (rest.length === 0) return json(resourceList(group, version));
    // The deprecated /watch/ prefix: /api/v1/watch/namespaces/<ns>/pods is a watch of the list.
    const watchPrefix = rest[0] === 'watch';
    if (watchPrefix) rest = rest.slice(1);
    // /api/v1/namespaces/<ns> is the Namespace object itself.
    const target = rest[0] === 'namespaces' && rest.length <= 3 && (rest.length === 2 || rest[2] === 'status' || rest[2] === 'finalize')
      ? parseTarget(['namespaces', ...rest.slice(1)], (p) => findResource(group, version, p))
      : parseTarget(rest, (p) => findResource(group, version, p));
    if (!target) throw new StatusError(404, 'NotFound', 'the server could not find the requested resource');
    const watch = watchPrefix || queryFlag(query, 'watch');
    // RBAC: the request's verb on its resource, for the (impersonated) user.
    const user = effectiveUser(identity);
    const verb = verbOfRequest(method, target.name !== undefined, watch);
    // A Namespace object's own namespace is itself, as the API server's RequestInfo has it.
    const namespace = target.info.plural === 'namespaces' && !target.info.group ? target.name : target.namespace;
    const attributes = { verb, group: target.info.group, resource: target.info.plural, subresource: target.subresource, name: target.name, namespace };
    if (!authorize(ctx.store, user, attributes).allowed) throw forbidden(target.info, verb, target.name, namespace, user.username, target.subresource);
    if (method !== 'GET' && faults.denyWrites) {
      throw forbidden(target.info, verbOf[method] ?? 'update', target.name, target.namespace, user.username);
    }
    if (isAccessReview(target.info)) {
      const review = answerAccessReview(ctx.store, { info: target.info, method, namespace: target.namespace, body: await readBody(req), requester: user });
      return json(review, 201);
    }
    if (isMetrics(target.info)) {
      if (method !== 'GET' || watch || target.subresource) throw methodNotAllowed();
      return json(readMetrics(ctx, target, query));
    }
    const body = method === 'GET' ? undefined : await readBody(req);
    const contentType = req.headers['content-type'] ?? 'application/json';
    const asTable = accept.includes('as=Table');
    const now = ctx.clock.now();
    const { info, name, subresource } = target;
    if (method === 'GET' && watch && !subresource) {
      checkWatchRequest(ctx, query);
      // A watch of one object is a watch of the list narrowed to its name.
      if (name) query.set('fieldSelector', [query.get('fieldSelector'), `metadata.name=${name}`].filter(Boolean).join(','));
      serveWatch(ctx, { ...target, name: undefined }, query, res, asTable, watches);
      return undefined;
    }
    if (!name) {
      if (method === 'GET') {
        const page = listPage(ctx, target, query);
        if (asTable) return { status: 200, body: buildTable(info.plural, page.items, page.metadata, now, query.get('includeObject')), contentType: tableContentType };
        return json({ kind: `${info.kind}List`, apiVersion: info.group ? `${info.group}/${info.version}` : info.version, metadata: page.metadata, items: page.items });
      }
      if (method === 'POST') return json(createObject(ctx, target, body, query), 201);
      throw methodNotAllowed();
    }
    if (subresource === 'log' && info.plural === 'pods' && method === 'GET') {
      return { status: 200, text: readPodLog(ctx, getObject(ctx, target, name), query), contentType: 'text/plain' };
    }
    if (subresource === 'scale' && info.subresources?.some((s) => s.name === 'scale')) {
      return json(handleScale(ctx, target, name, method, contentType, body, query));
    }
    if (subresource === 'eviction' && info.plural === 'pods' && method === 'POST') return json(evictPod(ctx, target, name, body, query), 201);
    if (subresource !== undefined && subresource !== 'status') throw new StatusError(404, 'NotFound', 'the server could not find the requested resource');
    switch (method) {
      case 'GET': {
        const o = getObject(ctx, target, name);
        if (asTable) return { status: 200, body: buildTable(info.plural, [o], o.metadata.resourceVersion, now, query.get('includeObject')), contentType: tableContentType };
        return json(o);
      }
      case 'PATCH':
        return json(patchObject(ctx, target, name, contentType, body, query));
      case 'PUT':
        return json(replaceObject(ctx, target, name, body, query));
      case 'DELETE': {
        const r = deleteObject(ctx, target, name, body, query);
        return json(r.body, r.status);
      }
      default:
        throw methodNotAllowed();
    }
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    let identity: RequestIdentity | undefined;
    const record = (status: number): void => {
      const who = identity ? { user: identity.user.username, ...(identity.impersonatedUser ? { impersonatedUser: identity.impersonatedUser } : {}) } : {};
      requests.push({ method: req.method ?? 'GET', path: url.pathname, query: url.search.replace(/^\?/, ''), status, ...who });
    };
    const run = async (): Promise<void> => {
      if (faults.latencyMs > 0) await new Promise((r) => setTimeout(r, faults.latencyMs));
      let reply: Reply | undefined;
      try {
        identity = identify(req, ctx.store);
        reply = await handle(req, res, url, identity);
      } catch (err) {
        const status = err instanceof StatusError ? err : new StatusError(500, 'InternalError', `Internal error occurred: ${err instanceof Error ? err.message : String(err)}`);
        if (!(err instanceof StatusError)) ctx.log.error({ err, path: url.pathname }, 'sandbox request failed');
        reply = { status: status.code, body: status.toStatus() };
      }
      if (!reply) {
        record(200);
        return;
      }
      record(reply.status);
      const payload = reply.raw ?? reply.text ?? JSON.stringify(reply.body);
      res.writeHead(reply.status, { 'Content-Type': reply.contentType ?? 'application/json', 'Content-Length': Buffer.byteLength(payload) });
      res.end(payload);
    };
    void run();
  });

  return { server, requests, faults, dropWatches: () => watches.dropAll() };
}
