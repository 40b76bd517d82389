import type { IncomingMessage, ServerResponse } from 'node:http';

/** Web API arguments that Slack clients send as JSON strings inside form bodies. */
const jsonFields = new Set(['blocks', 'attachments', 'metadata', 'files', 'user_auth_blocks', 'unfurls', 'view']);

const maxBodyBytes = 8 * 1024 * 1024;

export class BodyTooLargeError extends Error {}

export async function readRawBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > maxBodyBytes) throw new BodyTooLargeError('body too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * Decodes a Web API request body (form, JSON or multipart) into plain arguments,
 * parsing the JSON-string fields (`blocks`, `attachments`, …) like Slack does.
 * Throws SyntaxError on a malformed JSON body.
 */
export async function decodeArgs(raw: Buffer, contentType: string | undefined): Promise<Record<string, unknown>> {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  let args: Record<string, unknown> = {};
  if (type === 'application/json') {
    const parsed: unknown = raw.length === 0 ? {} : JSON.parse(raw.toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) args = parsed as Record<string, unknown>;
  } else if (type === 'multipart/form-data') {
    const form = await new Request('http://sandbox.invalid/', {
      method: 'POST',
      headers: { 'content-type': contentType ?? '' },
      body: raw,
    }).formData();
    for (const [key, value] of form.entries()) {
      args[key] = typeof value === 'string' ? value : Buffer.from(await value.arrayBuffer()).toString('utf8');
    }
  } else {
    args = Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
  }
  for (const [key, value] of Object.entries(args)) {
    if (jsonFields.has(key) && typeof value === 'string') {
      try {
        args[key] = JSON.parse(value) as unknown;
      } catch {
        // Left as a string: the method's schema reports it like Slack's invalid_arguments.
      }
    }
  }
  return args;
}

/** The bytes of a file upload: a multipart form's single file part, or the raw body. */
export async function decodeUpload(raw: Buffer, contentType: string | undefined): Promise<Buffer> {
  if (!(contentType ?? '').toLowerCase().startsWith('multipart/form-data')) return raw;
  const form = await new Request('http://sandbox.invalid/', {
    method: 'POST',
    headers: { 'content-type': contentType ?? '' },
    body: raw,
  }).formData();
  for (const value of form.values()) {
    if (typeof value !== 'string') return Buffer.from(await value.arrayBuffer());
  }
  const first = form.values().next();
  return Buffer.from(typeof first.value === 'string' ? first.value : '');
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, body: string, contentType = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
