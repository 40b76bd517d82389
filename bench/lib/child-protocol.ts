import { readFileSync } from 'node:fs';
import * as z from 'zod';

/** Messages a server under test sends to the bench over the IPC channel. */
export const ChildMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), port: z.number().int().positive() }),
  z.object({
    type: z.literal('stats'),
    peakRssBytes: z.number(),
    rssBytes: z.number(),
    peakHeapTotalBytes: z.number(),
    peakHeapUsedBytes: z.number(),
    peakExternalBytes: z.number(),
    /** CPU time (user + system) the process has used so far, in µs. */
    cpuMicros: z.number(),
  }),
  z.object({ type: z.literal('stopped') }),
  z.object({ type: z.literal('failed'), message: z.string() }),
]);
export type ChildMessage = z.infer<typeof ChildMessage>;

/** Messages the bench sends to a server under test. */
export const ParentMessage = z.discriminatedUnion('type', [z.object({ type: z.literal('stats') }), z.object({ type: z.literal('stop') })]);
export type ParentMessage = z.infer<typeof ParentMessage>;

/** The environment variable carrying a child's JSON configuration. */
export const childConfigVar = 'DECKHAND_BENCH_CHILD';

/**
 * Peak resident set size of this process: the kernel's high-water mark (VmHWM) where
 * /proc exists, else the largest RSS sampled so far.
 */
export function createPeakRss(): { sample(): void; peak(): number; peakHeap(): { total: number; used: number; external: number } } {
  let sampled = process.memoryUsage.rss();
  const heap = { total: 0, used: 0, external: 0 };
  const fromProc = (): number | undefined => {
    try {
      const kb = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
      return kb === undefined ? undefined : Number(kb) * 1024;
    } catch {
      return undefined;
    }
  };
  return {
    sample: () => {
      const m = process.memoryUsage();
      sampled = Math.max(sampled, m.rss);
      heap.total = Math.max(heap.total, m.heapTotal);
      heap.used = Math.max(heap.used, m.heapUsed);
      heap.external = Math.max(heap.external, m.external);
    },
    peakHeap: () => ({ ...heap }),
    peak: () => Math.max(sampled, fromProc() ?? 0),
  };
}

/**
 * The child side: parses its configuration, starts the server, reports the port, answers
 * stats requests and stops on request (or when the bench goes away).
 */
export function runChild<C>(schema: z.ZodType<C>, start: (config: C) => Promise<{ port: number; stop(): Promise<void> }>): void {
  const send = (message: ChildMessage) => process.send?.(message);
  const rss = createPeakRss();
  const sampler = setInterval(() => rss.sample(), 100);
  sampler.unref();
  const fail = (err: unknown) => {
    send({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
    process.exitCode = 1;
    setTimeout(() => process.exit(1), 100).unref();
  };
  let stopping = false;
  void (async () => {
    try {
      const config = schema.parse(JSON.parse(process.env[childConfigVar] ?? '{}'));
      const server = await start(config);
      const stop = async () => {
        if (stopping) return;
        stopping = true;
        clearInterval(sampler);
        await server.stop();
        send({ type: 'stopped' });
        // Leftover sockets or timers must not keep a stopped server alive.
        setTimeout(() => process.exit(0), 50);
      };
      process.on('message', (raw) => {
        const message = ParentMessage.safeParse(raw);
        if (!message.success) return;
        if (message.data.type === 'stats') {
          const heap = rss.peakHeap();
          const cpu = process.cpuUsage();
          send({
            type: 'stats',
            peakRssBytes: rss.peak(),
            rssBytes: process.memoryUsage.rss(),
            peakHeapTotalBytes: heap.total,
            peakHeapUsedBytes: heap.used,
            peakExternalBytes: heap.external,
            cpuMicros: cpu.user + cpu.system,
          });
        }
        else stop().catch(fail);
      });
      // The bench died or closed the channel: do not outlive it.
      process.on('disconnect', () => void stop().catch(fail));
      send({ type: 'ready', port: server.port });
    } catch (err) {
      fail(err);
    }
  })();
}
