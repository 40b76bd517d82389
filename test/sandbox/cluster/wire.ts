/* eslint-disable @typescript-eslint/no-explicit-any -- watch events and API replies are wire JSON of any kind */
import type { SandboxCluster } from '../../../sandbox/cluster/index.js';
import { waitFor } from '../../../sandbox/shared/wait.js';

export const deckhandToken = 'sandbox-token';
export const adminToken = 'sandbox-admin-token';

/** A raw API call, as a client on the wire makes it. */
export async function call(cluster: SandboxCluster, method: string, path: string, body?: unknown, init: { token?: string; contentType?: string; accept?: string } = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(`${cluster.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${init.token ?? deckhandToken}`,
      accept: init.accept ?? 'application/json',
      ...(body === undefined ? {} : { 'content-type': init.contentType ?? 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

export interface WatchEvent {
  type: string;
  object: any;
}

export interface OpenWatch {
  status: number;
  events: WatchEvent[];
  /** True once the server has ended the stream. */
  ended(): boolean;
  close(): void;
}

/** Opens a watch and collects its events as they arrive, one JSON object per line. */
export async function openWatch(cluster: SandboxCluster, path: string): Promise<OpenWatch> {
  const abort = new AbortController();
  const res = await fetch(`${cluster.url}${path}`, { headers: { authorization: `Bearer ${deckhandToken}`, accept: 'application/json' }, signal: abort.signal });
  const events: WatchEvent[] = [];
  let done = false;
  const read = async (): Promise<void> => {
    if (!res.body) return;
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let nl = buffer.indexOf('\n');
        while (nl !== -1) {
          const line = buffer.slice(0, nl).trim();
          buffer = buffer.slice(nl + 1);
          if (line) events.push(JSON.parse(line) as WatchEvent);
          nl = buffer.indexOf('\n');
        }
      }
    } catch {
      // Aborted by close().
    }
    done = true;
  };
  void read();
  return { status: res.status, events, ended: () => done, close: () => abort.abort() };
}

/** Waits until the watch holds an event that passes `test`, and returns it. */
export async function nextEvent(watch: OpenWatch, test: (e: WatchEvent) => boolean, timeoutMs = 10_000): Promise<WatchEvent> {
  await waitFor(() => watch.events.some(test), { timeoutMs });
  return watch.events.find(test)!;
}
