import type { ClusterReader } from '../../kube/reader.js';

/**
 * A reader whose `list…` and `get…` calls are read once per sweep: the units a sweep examines
 * share a namespace, its nodes and its lists, and gathering each one's evidence would read
 * them again. Same method and arguments, same answer (a failed read is forgotten, so a later
 * unit may try again). Logs are never shared. Any method the reader gains takes part.
 */
export function shareReads(reader: ClusterReader): ClusterReader {
  const cache = new Map<string, Promise<unknown>>();
  return new Proxy(reader, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof prop !== 'string' || typeof value !== 'function' || !/^(list|get|find)[A-Z]/.test(prop)) return value;
      const method = value as (...args: unknown[]) => Promise<unknown>;
      return (...args: unknown[]) => {
        const key = `${prop}:${JSON.stringify(withoutTrailingUndefined(args))}`;
        const hit = cache.get(key);
        if (hit) return hit;
        const read = method.apply(target, args);
        cache.set(key, read);
        read.catch(() => cache.delete(key));
        return read;
      };
    },
  });
}

function withoutTrailingUndefined(args: unknown[]): unknown[] {
  let end = args.length;
  while (end > 0 && args[end - 1] === undefined) end--;
  return args.slice(0, end);
}
