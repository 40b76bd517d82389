import { createHmac, timingSafeEqual } from 'node:crypto';

const signaturePattern = /^v1=([0-9a-f]{64})$/;

/**
 * Checks `X-PagerDuty-Signature` (`v1=<hex>[,v1=<hex>…]`, HMAC-SHA256 of the raw body) against
 * every configured secret, in constant time per comparison. Any match accepts: during a
 * rotation PagerDuty signs with several secrets and we may hold several too.
 */
export function verifyPagerDutySignature(rawBody: Buffer, header: string | undefined, secrets: readonly string[]): boolean {
  if (!header || secrets.length === 0) return false;
  const given: Buffer[] = [];
  for (const part of header.split(',')) {
    const hex = signaturePattern.exec(part.trim().toLowerCase())?.[1];
    if (hex !== undefined) given.push(Buffer.from(hex, 'hex'));
  }
  if (given.length === 0) return false;
  let ok = false;
  for (const secret of secrets) {
    const expected = createHmac('sha256', secret).update(rawBody).digest();
    // No early exit: the time taken does not depend on which signature matched.
    for (const signature of given) ok = timingSafeEqual(signature, expected) || ok;
  }
  return ok;
}
