import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as z from 'zod';
import { readRawBody, sendJson, sendText } from './http-body.js';
import type { SandboxPerson } from './person.js';
import type { SandboxIdentity } from './web-api-context.js';
import type { Workspace } from './workspace.js';

export interface UiDeps {
  workspace: Workspace;
  identity: SandboxIdentity;
  person: SandboxPerson;
  botUrl: () => string | undefined;
  title: string;
}

const assets: Record<string, string> = {
  '/': 'index.html',
  '/ui/app.js': 'app.js',
  '/ui/mrkdwn.js': 'mrkdwn.js',
  '/ui/blocks.js': 'blocks.js',
  '/ui/style.css': 'style.css',
};

const contentTypes: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};

// The page is plain files beside this module (the sandbox runs from source, never from dist/).
const assetDir = new URL('./ui/', import.meta.url);

async function readAsset(name: string): Promise<string | undefined> {
  try {
    return await readFile(new URL(name, assetDir), 'utf8');
  } catch {
    return undefined;
  }
}

const ClickBody = z.object({
  user: z.string(),
  channel: z.string(),
  messageTs: z.string(),
  actionId: z.string(),
  value: z.string().optional(),
});
const MessageBody = z.object({ user: z.string(), channel: z.string(), text: z.string().min(1), threadTs: z.string().optional() });
const CommandBody = z.object({ user: z.string(), channel: z.string(), command: z.string().regex(/^\/\w+/), text: z.string() });

/** Serves the page, its state and live updates, and the person's actions. Returns false when not a UI route. */
export async function handleUi(deps: UiDeps, req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
  const path = url.pathname;
  if (req.method === 'GET') {
    const asset = assets[path];
    if (asset) {
      const text = await readAsset(asset);
      if (text === undefined) sendText(res, 500, `sandbox page asset ${asset} is missing`);
      else sendText(res, 200, text, contentTypes[asset.split('.').pop() ?? ''] ?? 'text/plain');
      return true;
    }
    if (path === '/sandbox/state') {
      sendJson(res, 200, stateFor(deps, url.searchParams.get('user') ?? '', url.searchParams.get('since') ?? undefined));
      return true;
    }
    if (path === '/sandbox/events') {
      streamChanges(deps, req, res);
      return true;
    }
    return false;
  }
  if (req.method !== 'POST' || !path.startsWith('/sandbox/')) return false;
  let body: unknown;
  try {
    body = JSON.parse((await readRawBody(req)).toString('utf8'));
  } catch {
    sendJson(res, 400, { ok: false, error: 'invalid_json' });
    return true;
  }
  try {
    if (path === '/sandbox/click') {
      const answer = await deps.person.clickButton(ClickBody.parse(body));
      sendJson(res, 200, { ok: answer.status === 200, status: answer.status });
    } else if (path === '/sandbox/message') {
      const sent = await deps.person.postUserMessage(MessageBody.parse(body));
      sendJson(res, 200, { ok: sent.events.every((e) => e.status === 200), ts: sent.ts, status: sent.events[0]?.status ?? 0 });
    } else if (path === '/sandbox/command') {
      const answer = await deps.person.slashCommand(CommandBody.parse(body));
      sendJson(res, 200, { ok: answer.status === 200, status: answer.status });
    } else {
      sendJson(res, 404, { ok: false, error: 'not_found' });
    }
  } catch (err) {
    sendJson(res, 400, { ok: false, error: err instanceof Error ? err.message : 'bad_request' });
  }
  return true;
}

/**
 * The page's view. Ephemerals are like Slack's: only "Only visible to you", and only in the
 * page that was open when they came — a reload starts without them. So the first fetch gets
 * none and the ts to ask `since`; later fetches get those newer than that.
 */
function stateFor(deps: UiDeps, user: string, since: string | undefined): Record<string, unknown> {
  const { workspace, identity } = deps;
  const sinceTs = since === undefined ? undefined : Number(since);
  return {
    now: workspace.nextTs(),
    title: deps.title,
    team: { id: identity.teamId, domain: identity.teamDomain },
    bot: { userId: identity.botUserId, botId: identity.botId, name: identity.botName },
    botUrl: deps.botUrl() ?? null,
    lastBotRequest: lastRequestSummary(deps.person),
    users: [...workspace.users.values()],
    channels: [...workspace.channels.values()],
    usergroups: [...workspace.usergroups.values()],
    messages: workspace.messages(),
    ephemerals: sinceTs === undefined || !Number.isFinite(sinceTs) ? [] : workspace.ephemerals().filter((e) => e.user === user && Number(e.ts) > sinceTs),
  };
}

function lastRequestSummary(person: SandboxPerson): Record<string, unknown> | null {
  const last = person.botRequests[person.botRequests.length - 1];
  return last ? { kind: last.kind, status: last.status, at: last.at } : null;
}

/** Server-Sent Events: one `change` per workspace change; the page then refetches its state. */
function streamChanges(deps: UiDeps, req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  res.write('retry: 1000\n\n');
  const stop = deps.workspace.onChange((change) => {
    res.write(`event: change\ndata: ${JSON.stringify(change)}\n\n`);
  });
  req.on('close', () => {
    stop();
  });
}
