// Block Kit → HTML for the sandbox page: the subset Deckhand sends, close to Slack's look.
import { escapeHtml, renderMrkdwn, renderPlain } from './mrkdwn.js';

function renderText(text, ctx) {
  if (!text || typeof text.text !== 'string') return '';
  return text.type === 'mrkdwn' ? renderMrkdwn(text.text, ctx) : renderPlain(text.text, text.emoji !== false);
}

/** A button; `ref` tells which message it belongs to, for the click endpoint. */
function renderButton(element, ref) {
  const style = element.style === 'primary' || element.style === 'danger' ? ` btn-${element.style}` : '';
  const attrs = [
    `data-action-id="${escapeHtml(element.action_id ?? '')}"`,
    `data-value="${escapeHtml(element.value ?? '')}"`,
    `data-channel="${escapeHtml(ref.channel)}"`,
    `data-message-ts="${escapeHtml(ref.ts)}"`,
  ];
  if (element.url) attrs.push(`data-url="${escapeHtml(element.url)}"`);
  const label = element.text ? renderPlain(element.text.text ?? '', element.text.emoji !== false) : '';
  return `<button type="button" class="btn${style}" ${attrs.join(' ')}>${label}</button>`;
}

function renderElement(element, ctx, ref) {
  if (!element || typeof element !== 'object') return '';
  if (element.type === 'button') return renderButton(element, ref);
  if (element.type === 'image') {
    return `<img class="ctx-img" src="${escapeHtml(element.image_url ?? '')}" alt="${escapeHtml(element.alt_text ?? '')}">`;
  }
  if (element.type === 'mrkdwn' || element.type === 'plain_text') return `<span>${renderText(element, ctx)}</span>`;
  return `<span class="unsupported">[${escapeHtml(String(element.type))}]</span>`;
}

function renderRichText(block) {
  const parts = [];
  const walk = (node) => {
    if (!node || typeof node !== 'object') return;
    if (typeof node.text === 'string') parts.push(escapeHtml(node.text));
    if (node.type === 'user') parts.push(`<span class="mention">@${escapeHtml(node.user_id ?? '')}</span>`);
    if (node.type === 'link') parts.push(escapeHtml(node.url ?? ''));
    if (Array.isArray(node.elements)) node.elements.forEach(walk);
  };
  walk(block);
  return `<div class="block rich">${parts.join('')}</div>`;
}

function renderBlock(block, ctx, ref) {
  switch (block.type) {
    case 'header':
      return `<div class="block header">${renderText(block.text, ctx)}</div>`;
    case 'section': {
      const text = block.text ? `<div class="section-text">${renderText(block.text, ctx)}</div>` : '';
      const fields = Array.isArray(block.fields)
        ? `<div class="fields">${block.fields.map((f) => `<div class="field">${renderText(f, ctx)}</div>`).join('')}</div>`
        : '';
      const accessory = block.accessory ? `<div class="accessory">${renderElement(block.accessory, ctx, ref)}</div>` : '';
      return `<div class="block section"><div class="section-body">${text}${fields}</div>${accessory}</div>`;
    }
    case 'context':
      return `<div class="block context">${(block.elements ?? []).map((e) => renderElement(e, ctx, ref)).join('')}</div>`;
    case 'divider':
      return '<hr class="block divider">';
    case 'actions':
      return `<div class="block actions">${(block.elements ?? []).map((e) => renderElement(e, ctx, ref)).join('')}</div>`;
    case 'image':
      return `<div class="block image"><img src="${escapeHtml(block.image_url ?? '')}" alt="${escapeHtml(block.alt_text ?? '')}"></div>`;
    case 'rich_text':
      return renderRichText(block);
    case 'markdown':
      return `<div class="block section">${renderMrkdwn(block.text ?? '', ctx)}</div>`;
    default:
      return `<div class="block unsupported">[${escapeHtml(String(block.type))} block]</div>`;
  }
}

/** Renders a message's blocks; `ref` = `{ channel, ts }` of the message. */
export function renderBlocks(blocks, ctx, ref) {
  return blocks
    .filter((b) => b && typeof b === 'object')
    .map((b) => renderBlock(b, ctx, ref))
    .join('');
}

/** Legacy attachments: a colour bar with title, text and fields. */
export function renderAttachments(attachments, ctx, ref) {
  return attachments
    .map((a) => {
      const color = /^#?[0-9a-f]{6}$/i.test(a.color ?? '') ? `#${a.color.replace('#', '')}` : namedColor(a.color);
      const title = a.title ? `<div class="att-title">${escapeHtml(a.title)}</div>` : '';
      const text = a.text ? `<div>${renderMrkdwn(a.text, ctx)}</div>` : '';
      const fields = Array.isArray(a.fields)
        ? `<div class="fields">${a.fields
            .map((f) => `<div class="field"><strong>${escapeHtml(f.title ?? '')}</strong><br>${renderMrkdwn(String(f.value ?? ''), ctx)}</div>`)
            .join('')}</div>`
        : '';
      const blocks = Array.isArray(a.blocks) ? renderBlocks(a.blocks, ctx, ref) : '';
      return `<div class="attachment" style="border-left-color:${color}">${title}${text}${fields}${blocks}</div>`;
    })
    .join('');
}

function namedColor(name) {
  return { good: '#2eb67d', warning: '#ecb22e', danger: '#e01e5a' }[name] ?? '#dddddd';
}
