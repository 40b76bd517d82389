/**
 * A subset of Slack's Block Kit validation, so that a message Slack would refuse with
 * `invalid_blocks` is refused by the sandbox too (limits from Slack's Block Kit reference).
 * Returns Slack-style `[ERROR] … [json-pointer:/blocks/…]` messages; empty when valid.
 */
export function checkBlocks(blocks: unknown): string[] {
  const errors: string[] = [];
  const fail = (message: string, pointer: string): void => {
    errors.push(`[ERROR] ${message} [json-pointer:${pointer}]`);
  };
  if (!Array.isArray(blocks)) {
    fail('must be an array', '/blocks');
    return errors;
  }
  if (blocks.length > 50) fail('no more than 50 items allowed', '/blocks');
  const blockIds = new Set<string>();
  blocks.forEach((block: unknown, index) => {
    const at = `/blocks/${index}`;
    if (!isRecord(block) || typeof block.type !== 'string') {
      fail('must provide an object with a type', at);
      return;
    }
    if (typeof block.block_id === 'string') {
      if (blockIds.has(block.block_id)) fail(`duplicate block_id ${block.block_id}`, `${at}/block_id`);
      if (block.block_id.length > 255) fail('must be less than 256 characters', `${at}/block_id`);
      blockIds.add(block.block_id);
    }
    checkBlock(block, at, fail);
  });
  return errors;
}

type Fail = (message: string, pointer: string) => void;

function checkBlock(block: Record<string, unknown>, at: string, fail: Fail): void {
  switch (block.type) {
    case 'header':
      checkText(block.text, `${at}/text`, 150, fail, 'plain_text');
      return;
    case 'section': {
      if (block.text === undefined && block.fields === undefined) {
        fail('must provide text or fields', at);
      }
      if (block.text !== undefined) checkText(block.text, `${at}/text`, 3000, fail);
      if (block.fields !== undefined) {
        if (!Array.isArray(block.fields)) fail('must be an array', `${at}/fields`);
        else {
          if (block.fields.length > 10) fail('no more than 10 items allowed', `${at}/fields`);
          block.fields.forEach((f: unknown, i) => checkText(f, `${at}/fields/${i}`, 2000, fail));
        }
      }
      if (block.accessory !== undefined) checkElement(block.accessory, `${at}/accessory`, fail);
      return;
    }
    case 'context': {
      if (!Array.isArray(block.elements) || block.elements.length === 0) {
        fail('must provide at least one element', `${at}/elements`);
        return;
      }
      if (block.elements.length > 10) fail('no more than 10 items allowed', `${at}/elements`);
      block.elements.forEach((e: unknown, i) => {
        if (isRecord(e) && e.type === 'image') return;
        checkText(e, `${at}/elements/${i}`, 3000, fail);
      });
      return;
    }
    case 'actions': {
      if (!Array.isArray(block.elements) || block.elements.length === 0) {
        fail('must provide at least one element', `${at}/elements`);
        return;
      }
      if (block.elements.length > 25) fail('no more than 25 items allowed', `${at}/elements`);
      const actionIds = new Set<string>();
      block.elements.forEach((e: unknown, i) => {
        checkElement(e, `${at}/elements/${i}`, fail);
        if (isRecord(e) && typeof e.action_id === 'string') {
          if (actionIds.has(e.action_id)) fail(`duplicate action_id ${e.action_id}`, `${at}/elements/${i}/action_id`);
          actionIds.add(e.action_id);
        }
      });
      return;
    }
    case 'divider':
    case 'image':
    case 'rich_text':
    case 'input':
    case 'file':
    case 'video':
    case 'markdown':
      return;
    default:
      fail(`unsupported type: ${String(block.type)}`, `${at}/type`);
  }
}

function checkElement(element: unknown, at: string, fail: Fail): void {
  if (!isRecord(element) || typeof element.type !== 'string') {
    fail('must provide an object with a type', at);
    return;
  }
  if (element.type !== 'button') return;
  checkText(element.text, `${at}/text`, 75, fail, 'plain_text');
  if (typeof element.action_id === 'string' && element.action_id.length > 255) {
    fail('must be less than 256 characters', `${at}/action_id`);
  }
  if (typeof element.value === 'string' && element.value.length > 2000) {
    fail('must be less than 2001 characters', `${at}/value`);
  }
  if (element.style !== undefined && element.style !== 'primary' && element.style !== 'danger') {
    fail('must be one of primary, danger', `${at}/style`);
  }
}

function checkText(text: unknown, at: string, max: number, fail: Fail, only?: 'plain_text'): void {
  if (!isRecord(text) || (text.type !== 'plain_text' && text.type !== 'mrkdwn')) {
    fail('must provide a text object of type plain_text or mrkdwn', at);
    return;
  }
  if (only && text.type !== only) fail(`must be a ${only} text object`, `${at}/type`);
  if (typeof text.text !== 'string' || text.text.length === 0) {
    fail('must be more than 0 characters', `${at}/text`);
    return;
  }
  if (text.text.length > max) fail(`must be less than ${max + 1} characters`, `${at}/text`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
