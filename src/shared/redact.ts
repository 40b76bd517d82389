/**
 * Masks credential-looking content in text read from a cluster (logs, events, env, describe
 * output) before it reaches Claude or Slack. It keeps the shape (key names, URL hosts, token
 * prefixes) so the text stays useful for a diagnosis: `postgres://app:****@db:5432/shop`,
 * `DB_PASSWORD=****`, `xoxb-****`.
 *
 * Deliberately pattern-based and conservative about what it leaves alone: normal URLs, image
 * references and digests, pod names and UUIDs are not credentials and stay readable.
 */

export const mask = '****';

/** Key names whose values are secrets (env vars, YAML/JSON keys, CLI flags, query params). */
const secretKeyword =
  '(?:password|passwd|passphrase|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|client[_-]?secret|credentials?|auth|authorization|session[_-]?id|cookie|signature|dsn|account[_-]?key|shared[_-]?access[_-]?key|connection[_-]?string)';
// Any prefix (DB_, clientSecret's "client"), the keyword, then nothing or a separator-led
// suffix: so "author", "tokens" and "secretName" (a reference, not a value) do not match.
const secretKey = `[A-Za-z0-9_.-]*?${secretKeyword}(?:[_.-][A-Za-z0-9_.-]*)?`;
const secretKeyRe = new RegExp(`^${secretKey}$`, 'i');

/** Values that are clearly not secrets even under a secret-looking key. */
const harmlessValue = /^(?:true|false|null|nil|none|yes|no|enabled|disabled|required|optional|bearer|basic|[A-Za-z0-9_-]*\*{4}|\[redacted[^\]]*\]|<[^>]*>|\$\{[^}]*\}|\$[A-Z_]+)$/i;

interface Rule {
  re: RegExp;
  replace: (match: string, ...groups: string[]) => string;
}

const keepPrefix = (_m: string, p: string) => `${p}${mask}`;

/** Credential words after which a bare value (no `=` or `:`) is taken for a secret when it looks like one. */
const bareKeyword = '(?:password|passwd|passphrase|pwd|secret|token|api[ _-]?key|access[ _-]?key|secret[ _-]?key|private[ _-]?key|account[ _-]?key|client[ _-]?secret)';
/** Credential words near which a random-looking string is a secret (an AWS secret key beside "aws_secret"). */
const nearKeyword = '(?:password|passwd|secret|token|credentials?|keys?|apikey|aws)';

const rules: Rule[] = [
  // PEM private keys (RSA, EC, OPENSSH, ENCRYPTED, PGP … BLOCK), including ones whose END line
  // a log tail cut off, and ones inside JSON (a service-account file: "-----BEGIN …\n…").
  {
    re: /-----BEGIN ((?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?)-----[\s\S]*?(?:-----END \1-----|$)/g,
    replace: (_m, kind) => `-----BEGIN ${kind}-----${mask}-----END ${kind}-----`,
  },
  // Passwords in URLs and connection strings: scheme://user:password@host.
  {
    re: /\b([a-z][a-z0-9+.-]*:\/\/)([^:@/\s"'<>]*):([^@/\s"'<>]+)@/gi,
    replace: (_m, scheme, user) => `${scheme}${user}:${mask}@`,
  },
  // Authorization headers.
  // The lookahead wants a digit so prose ("Token verification failed") stays readable.
  { re: /\b(Bearer|Basic|Token)\s+(?=[A-Za-z0-9._~+/-]*\d)[A-Za-z0-9._~+/-]{8,}=*/g, replace: (_m, kind) => `${kind} ${mask}` },
  // JWTs (header.payload.signature, base64url, header starting with {"…).
  { re: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, replace: () => `eyJ${mask}` },
  // Vendor tokens: keep the prefix so a reader knows what leaked. Slack tokens of any length
  // (a short test token leaks as much as a real one).
  { re: /\b(xox[abposre]-)[A-Za-z0-9][A-Za-z0-9-]*/g, replace: keepPrefix },
  { re: /\b(xapp-)[A-Za-z0-9][A-Za-z0-9-]*/g, replace: keepPrefix },
  { re: /(hooks\.slack\.com\/services\/)[A-Za-z0-9/]+/g, replace: keepPrefix },
  { re: /\b(gh[pousr]_)[A-Za-z0-9]{16,}/g, replace: keepPrefix },
  { re: /\b(github_pat_)[A-Za-z0-9_]{20,}/g, replace: keepPrefix },
  { re: /\b(glpat-)[A-Za-z0-9_-]{20,}/g, replace: keepPrefix },
  { re: /\b(sk-ant-)[A-Za-z0-9_-]{16,}/g, replace: keepPrefix },
  { re: /\b(sk-(?:proj-|svcacct-|admin-)?)[A-Za-z0-9_-]{20,}/g, replace: keepPrefix },
  { re: /\b([sr]k_(?:live|test)_|whsec_)[A-Za-z0-9]{10,}/g, replace: keepPrefix },
  { re: /\b(npm_)[A-Za-z0-9]{36}\b/g, replace: keepPrefix },
  { re: /\b((?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA))[A-Z0-9]{16}\b/g, replace: keepPrefix },
  { re: /\b(AIza)[0-9A-Za-z_-]{35}/g, replace: keepPrefix },
  // Azure SAS tokens: the signature in a query string.
  { re: /([?&;]sig=)[^&\s"'<>]+/gi, replace: keepPrefix },
  // key: "quoted value" / "key": "value" (JSON, YAML, logfmt with quotes).
  {
    re: new RegExp(`(["']?\\b${secretKey}["']?\\s*[:=]\\s*)(["'])((?:\\\\.|(?!\\2).)*)\\2`, 'gi'),
    replace: (m, head, quote, value) => (harmlessValue.test(value) || value === '' ? m : `${head}${quote}${mask}${quote}`),
  },
  // key=value, KEY: value, --flag=value (unquoted; ends at whitespace or a separator).
  {
    // A value starting with '<' is a reference such as <from secret db key password>, not a secret.
    re: new RegExp(`(\\b${secretKey}\\s*(?:=|:(?!//))[ \\t]*)(?!<)([^\\s"',;&}{)\\]]+)`, 'gi'),
    replace: (m, head, value) => (harmlessValue.test(value) ? m : `${head}${mask}`),
  },
  // "password hunter2", "the secret is s3cr3t": a credential word, a space, and a value that
  // looks like one (a digit, a symbol or mixed case; not a Kubernetes name like db-credentials).
  {
    re: new RegExp(`(\\b${bareKeyword}\\s+(?:(?:is|was)\\s+)?)([^\\s"'<>,;()\\[\\]{}]+?)(?=[.,;:!?)]*(?:\\s|$|["'<>,;()\\[\\]{}]))`, 'gi'),
    replace: (m, head, value) => (looksLikeBareSecret(value) ? `${head}${mask}` : m),
  },
];

/**
 * A value after a bare credential word that is a secret rather than a word of prose or a
 * Kubernetes object name: it has a digit, a symbol or inner capitals, and is not a lowercase
 * dash-separated name (db-credentials, shop/frontend-tls).
 */
function looksLikeBareSecret(value: string): boolean {
  if (value.length < 4 || harmlessValue.test(value)) return false;
  if (/^[a-z0-9]+(?:[-.][a-z0-9]+)+(?:\/[a-z0-9]+(?:[-.][a-z0-9]+)*)?$/.test(value) && /[a-z]/.test(value)) return false;
  if (/^[a-z0-9]+(?:-[a-z0-9]+)*\/[a-z0-9]+(?:[-.][a-z0-9]+)*$/.test(value)) return false;
  if (/^\d+$/.test(value)) return value.length >= 6;
  return /\d/.test(value) || /[^A-Za-z-]/.test(value) || /^.+[A-Z]/.test(value);
}

/**
 * A string that reads like generated key material: long, upper and lower case and digits,
 * varied. Pod names, git SHAs (hex), UUIDs and identifiers fail one of these.
 */
function looksRandom(token: string): boolean {
  if (token.startsWith('/') || !/[A-Z]/.test(token) || !/[a-z]/.test(token)) return false;
  if ((token.match(/\d/g)?.length ?? 0) < 2 && !/[/+]/.test(token)) return false;
  if (/^[0-9a-fA-F-]+$/.test(token)) return false;
  return shannonBits(token) >= 3.5;
}

function shannonBits(text: string): number {
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

const nearKeywordRe = new RegExp(`(?<![A-Za-z0-9])${nearKeyword}(?![A-Za-z0-9])`, 'gi');
const candidateRe = /(?<![A-Za-z0-9/+=_-])[A-Za-z0-9/+_-]{20,}={0,2}(?![A-Za-z0-9/+=_-])/g;
/** How far after a credential word, on the same line, a random-looking string counts as its value. */
const nearWindow = 60;

/**
 * A random-looking string shortly after a credential word on the same line: an AWS secret
 * key after "aws_secret_access_key", a token after "credentials for ci are". Windows of
 * neighbouring words are merged, so one word's window never hides the next word.
 */
function maskNearCredentialWords(text: string): string {
  const windows: [number, number][] = [];
  for (const m of text.matchAll(nearKeywordRe)) {
    const start = m.index + m[0].length;
    const newline = text.indexOf('\n', start);
    const end = Math.min(start + nearWindow, newline < 0 ? text.length : newline);
    const last = windows.at(-1);
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else windows.push([start, end]);
  }
  if (windows.length === 0) return text;
  let out = '';
  let from = 0;
  for (const [start, end] of windows) {
    // Extend to the end of a candidate that starts inside the window.
    const tail = /^[A-Za-z0-9/+_=-]*/.exec(text.slice(end))?.[0].length ?? 0;
    out += text.slice(from, start) + text.slice(start, end + tail).replace(candidateRe, (t) => (looksRandom(t) ? mask : t));
    from = end + tail;
  }
  return out + text.slice(from);
}

/** Masks every credential-looking part of `text`. Idempotent. */
export function redactText(text: string): string {
  let out = text;
  for (const rule of rules) {
    out = out.replace(rule.re, rule.replace as (substring: string, ...args: unknown[]) => string);
  }
  return maskNearCredentialWords(out);
}

/** True when an environment variable / key name says its value is a secret. */
export function isSecretKeyName(name: string): boolean {
  return secretKeyRe.test(name);
}

/** An env var's value as it may be shown: masked whole when the name says secret. */
export function redactEnvValue(name: string, value: string): string {
  if (isSecretKeyName(name) && value !== '' && !harmlessValue.test(value)) return mask;
  return redactText(value);
}
