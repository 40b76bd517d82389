/** BullMQ job ids may not contain ':' (libraries.md §4); keep them to a safe alphabet. */
export function safeJobId(...parts: string[]): string {
  return parts.map((p) => p.replace(/[^A-Za-z0-9_.-]/g, '_')).join('-');
}
