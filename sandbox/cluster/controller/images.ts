import { backOffMs } from './containers.js';

/**
 * The image registries as the sandbox's nodes see them. A repository the sandbox knows (the
 * images its scenarios run) has exactly its known tags; a registry host ending in `.invalid`
 * does not resolve; any other repository is public and every tag pulls.
 */
export const knownImages: Readonly<Record<string, readonly string[]>> = {
  'registry.example.com/demo/hello': ['1.0.0'],
  'registry.example.com/shop/api': ['7.0.3'],
  'registry.example.com/shop/cart': ['2.0.1'],
  'registry.example.com/shop/checkout': ['1.4.2'],
  'registry.example.com/shop/frontend': ['2.2.9', '2.3.0'],
  'registry.example.com/shop/notifications': ['1.8.0'],
  'registry.example.com/shop/payments': ['3.0.4', '3.1.0'],
  'registry.example.com/shop/reviews': ['0.9.2'],
  'registry.example.com/shop/search': ['5.2.0'],
  'registry.example.com/shop/web': ['3.2.1'],
  'registry.k8s.io/coredns/coredns': ['v1.11.3'],
  'registry.k8s.io/kube-proxy': ['v1.32.4'],
  'quay.io/prometheus/node-exporter': ['v1.8.2'],
  'docker.io/library/redis': ['7.2.5'],
};

export interface ImageRef {
  host: string;
  /** Path inside the registry, `library/x` for Docker Hub's official images. */
  path: string;
  tag: string | undefined;
  digest: string | undefined;
  /** What containerd names it: host, path and tag (latest by default) or digest. */
  normalized: string;
}

/** Parses a reference as containerd does: the first part is a host when it has a dot or a port, or is localhost. */
export function parseImage(image: string): ImageRef {
  const [name = '', digest] = image.split('@');
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  const hasHost = first.includes('.') || first.includes(':') || first === 'localhost';
  const host = hasHost ? first : 'docker.io';
  let rest = hasHost ? name.slice(slash + 1) : name;
  const colon = rest.lastIndexOf(':');
  const tag = colon >= 0 ? rest.slice(colon + 1) : undefined;
  if (colon >= 0) rest = rest.slice(0, colon);
  const path = host === 'docker.io' && !rest.includes('/') ? `library/${rest}` : rest;
  const normalized = `${host}/${path}${digest ? `@${digest}` : `:${tag ?? 'latest'}`}`;
  return { host, path, tag, digest, normalized };
}

/** How long a pull takes in the sandbox. */
export const pullMs = 1000;

/** Image pulls that fail: pull j starts at t, fails a second later, then backs off 10s, 20s … 5m. */
export function playPulls(from: number, now: number): { failures: number; backOffs: number; lastFailAt: number; pulling: boolean } {
  let j = 0;
  let t = from;
  let lastFailAt = from;
  for (; j < 5000; j++) {
    const fail = t + pullMs;
    if (now < fail) return { failures: j, backOffs: Math.max(0, j - 1), lastFailAt, pulling: true };
    lastFailAt = fail;
    const next = fail + backOffMs(j);
    if (now < next) return { failures: j + 1, backOffs: j, lastFailAt, pulling: false };
    t = next;
  }
  return { failures: j, backOffs: j, lastFailAt, pulling: false };
}

export type PullVerdict = { ok: true; known: boolean } | { ok: false; error: string };

/** Whether the image pulls, and if not the error containerd's CRI returns (as the kubelet prints it). */
export function pullImage(image: string): PullVerdict {
  const ref = parseImage(image);
  const n = ref.normalized;
  if (ref.host.endsWith('.invalid')) {
    const reference = ref.digest ?? ref.tag ?? 'latest';
    return {
      ok: false,
      error: `rpc error: code = Unknown desc = failed to pull and unpack image "${n}": failed to resolve reference "${n}": failed to do request: Head "https://${ref.host}/v2/${ref.path}/manifests/${reference}": dial tcp: lookup ${ref.host.replace(/:\d+$/, '')}: no such host`,
    };
  }
  const tags = knownImages[`${ref.host}/${ref.path}`];
  if (!tags) return { ok: true, known: false };
  if (ref.digest || tags.includes(ref.tag ?? 'latest')) return { ok: true, known: true };
  return { ok: false, error: `rpc error: code = NotFound desc = failed to pull and unpack image "${n}": failed to resolve reference "${n}": ${n}: not found` };
}
