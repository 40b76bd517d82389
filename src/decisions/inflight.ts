/**
 * Work a process has accepted and must not drop on shutdown (a click that Slack was already
 * told about). `track` runs it and remembers it until it settles; `drain` waits for what is
 * in flight, bounded, and answers whether everything finished.
 */
export function createInflight() {
  const running = new Set<Promise<unknown>>();
  return {
    track<T>(work: () => Promise<T>): Promise<T> {
      const promise = work();
      const settled = promise.then(
        () => undefined,
        () => undefined,
      );
      running.add(settled);
      void settled.then(() => running.delete(settled));
      return promise;
    },
    get size(): number {
      return running.size;
    },
    async drain(timeoutMs: number): Promise<boolean> {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      const all = Promise.all([...running]).then(() => true as const);
      const finished = await Promise.race([all, timedOut]);
      clearTimeout(timer);
      return finished;
    },
  };
}

export type Inflight = ReturnType<typeof createInflight>;
