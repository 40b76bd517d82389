/** Sizes of every figure; `--smoke` picks tiny ones, `--<figure>.<size>=<n>` overrides one. */
export interface BenchSizes {
  ack: { rate: number; count: number; warmup: number; incidents: number; concurrency: number; saturationCount: number; rounds: number };
  storm: { deliveries: number; incidents: number; redeliveryShare: number; bursts: number; burstSize: number; concurrency: number };
  latency: { incidents: number };
  /** `gapMs`: figure 4 sends clicks and commands this many ms apart on average, as people click. */
  slack: { requests: number; warmup: number; gapMs: number; rounds: number };
  decision: { iterations: number };
  claude: { rounds: number };
  watch: { pods: number; trimmedPods: number; idleSeconds: number; probes: number };
}

export const fullSizes: BenchSizes = {
  ack: { rate: 200, count: 3000, warmup: 500, incidents: 20, concurrency: 32, saturationCount: 9000, rounds: 3 },
  storm: { deliveries: 10_000, incidents: 100, redeliveryShare: 0.3, bursts: 300, burstSize: 5, concurrency: 64 },
  latency: { incidents: 100 },
  slack: { requests: 1000, warmup: 50, gapMs: 30, rounds: 5 },
  decision: { iterations: 100 },
  claude: { rounds: 1 },
  watch: { pods: 1000, trimmedPods: 10_000, idleSeconds: 10, probes: 5 },
};

export const smokeSizes: BenchSizes = {
  ack: { rate: 100, count: 100, warmup: 50, incidents: 3, concurrency: 8, saturationCount: 200, rounds: 1 },
  storm: { deliveries: 200, incidents: 5, redeliveryShare: 0.3, bursts: 10, burstSize: 3, concurrency: 16 },
  latency: { incidents: 3 },
  slack: { requests: 30, warmup: 10, gapMs: 5, rounds: 1 },
  decision: { iterations: 1 },
  claude: { rounds: 1 },
  watch: { pods: 100, trimmedPods: 1000, idleSeconds: 1, probes: 1 },
};

export interface BenchOptions {
  mode: 'full' | 'smoke';
  sizes: BenchSizes;
  /** Figures to run (1…7); default all. */
  only: number[];
  /** Where to write `<date>-<machine>.json` and `latest.json`; smoke runs write only when given. */
  outDir: string | undefined;
  redisUrl: string | undefined;
  keepWorkDir: boolean;
  /** `build` (default for full runs): servers compiled and run by node, as npm start does; `tsx` (smoke default): from source. */
  runtime: 'build' | 'tsx';
}

export const figureIds = [1, 2, 3, 4, 5, 6, 7] as const;

/** Parses `npm run bench -- [--smoke] [--only=1,3] [--out=dir] [--runtime=build|tsx] [--keep] [--storm.deliveries=2000]`. */
export function parseBenchArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): BenchOptions {
  const smoke = argv.includes('--smoke');
  const sizes = structuredClone(smoke ? smokeSizes : fullSizes);
  const options: BenchOptions = {
    mode: smoke ? 'smoke' : 'full',
    sizes,
    only: [...figureIds],
    outDir: smoke ? undefined : 'bench/results',
    redisUrl: env.REDIS_URL?.trim() || undefined,
    keepWorkDir: argv.includes('--keep'),
    runtime: smoke ? 'tsx' : 'build',
  };
  for (const arg of argv) {
    if (arg === '--smoke' || arg === '--keep' || arg === '--') continue;
    const [key, value] = splitArg(arg);
    if (key === 'only') {
      options.only = value.split(',').map(Number);
      if (options.only.some((n) => !figureIds.includes(n as (typeof figureIds)[number]))) throw new Error(`--only takes figure numbers 1-7, got ${value}`);
    } else if (key === 'runtime') {
      if (value !== 'build' && value !== 'tsx') throw new Error(`--runtime takes build or tsx, got ${value}`);
      options.runtime = value;
    } else if (key === 'out') {
      options.outDir = value;
    } else if (key.includes('.')) {
      setSize(sizes, key, value);
    } else {
      throw new Error(`unknown option --${key} (see bench/README in README.md "Performance")`);
    }
  }
  return options;
}

function splitArg(arg: string): [string, string] {
  const match = /^--([\w.]+)=(.*)$/.exec(arg);
  if (!match) throw new Error(`options look like --name=value, got ${arg}`);
  return [match[1]!, match[2]!];
}

function setSize(sizes: BenchSizes, key: string, value: string): void {
  const [figure, size] = key.split('.') as [string, string];
  const group = (sizes as unknown as Record<string, Record<string, number> | undefined>)[figure];
  if (!group || !(size in group)) throw new Error(`unknown size --${key}`);
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${key} takes a number, got ${value}`);
  group[size] = n;
}
