import { randomBytes, randomUUID } from 'node:crypto';

// The alphabet Kubernetes uses for generated names and hashes (no vowels, no look-alikes).
const alphanums = 'bcdfghjklmnpqrstvwxz2456789';

export function randomSuffix(length = 5): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += alphanums[b % alphanums.length];
  return out;
}

export function newUid(): string {
  return randomUUID();
}

export function randomHex(length: number): string {
  return randomBytes(Math.ceil(length / 2)).toString('hex').slice(0, length);
}

/** fnv-1a 32-bit, safe-encoded like the deployment controller's pod-template-hash. */
export function templateHash(canonicalJson: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < canonicalJson.length; i++) {
    h ^= canonicalJson.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  let out = '';
  for (const ch of String(h)) out += alphanums[Number(ch) % alphanums.length];
  return out.slice(0, 10);
}
