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

const rules: Rule[] = [
  // PEM private keys, including ones whose END line was cut off by a log tail.
  {
    re: /-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY-----[\s\S]*?(?:-----END \1PRIVATE KEY-----|$)/g,
    replace: (_m, kind) => `-----BEGIN ${kind}PRIVATE KEY-----${mask}-----END ${kind}PRIVATE KEY-----`,
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
  // Vendor tokens: keep the prefix so a reader knows what leaked.
  { re: /\b(xox[abposre]-)[A-Za-z0-9-]{10,}/g, replace: (_m, p) => `${p}${mask}` },
  { re: /\b(xapp-)[A-Za-z0-9-]{10,}/g, replace: (_m, p) => `${p}${mask}` },
  { re: /(hooks\.slack\.com\/services\/)[A-Za-z0-9/]+/g, replace: (_m, p) => `${p}${mask}` },
  { re: /\b(gh[pousr]_)[A-Za-z0-9]{30,}/g, replace: (_m, p) => `${p}${mask}` },
  { re: /\b(github_pat_)[A-Za-z0-9_]{30,}/g, replace: (_m, p) => `${p}${mask}` },
  { re: /\b(glpat-)[A-Za-z0-9_-]{20,}/g, replace: (_m, p) => `${p}${mask}` },
  { re: /\b(sk-ant-)[A-Za-z0-9_-]{20,}/g, replace: (_m, p) => `${p}${mask}` },
  { re: /\b(sk-(?:proj-|svcacct-)?)[A-Za-z0-9_-]{20,}/g, replace: (_m, p) => `${p}${mask}` },
  { re: /\b([sr]k_(?:live|test)_)[A-Za-z0-9]{16,}/g, replace: (_m, p) => `${p}${mask}` },
  { re: /\b(npm_)[A-Za-z0-9]{36}\b/g, replace: (_m, p) => `${p}${mask}` },
  { re: /\b((?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA))[A-Z0-9]{16}\b/g, replace: (_m, p) => `${p}${mask}` },
  { re: /\b(AIza)[0-9A-Za-z_-]{35}/g, replace: (_m, p) => `${p}${mask}` },
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
];

/** Masks every credential-looking part of `text`. Idempotent. */
export function redactText(text: string): string {
  let out = text;
  for (const rule of rules) {
    out = out.replace(rule.re, rule.replace as (substring: string, ...args: unknown[]) => string);
  }
  return out;
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
