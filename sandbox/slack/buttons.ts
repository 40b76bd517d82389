/** A clicked button as it appears in a block_actions payload's `actions[]`. */
export interface ClickedButton {
  type: 'button';
  action_id: string;
  block_id: string;
  text: unknown;
  value?: string;
  style?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Finds a button by action id (and value, when given) in an `actions` block or a
 * section's accessory. Blocks without a block_id get Slack-like positional ids.
 */
export function findButton(blocks: unknown[], actionId: string, value?: string): ClickedButton | undefined {
  for (const [index, block] of blocks.entries()) {
    if (!isRecord(block)) continue;
    const blockId = typeof block.block_id === 'string' ? block.block_id : `sandbox-block-${index}`;
    const candidates: unknown[] = [];
    if (block.type === 'actions' && Array.isArray(block.elements)) candidates.push(...(block.elements as unknown[]));
    if (block.type === 'section' && block.accessory !== undefined) candidates.push(block.accessory);
    for (const element of candidates) {
      if (!isRecord(element) || element.type !== 'button' || element.action_id !== actionId) continue;
      if (value !== undefined && element.value !== value) continue;
      return {
        type: 'button',
        action_id: actionId,
        block_id: blockId,
        text: element.text,
        ...(typeof element.value === 'string' ? { value: element.value } : {}),
        ...(typeof element.style === 'string' ? { style: element.style } : {}),
      };
    }
  }
  return undefined;
}
