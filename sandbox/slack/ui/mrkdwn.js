// Slack mrkdwn → HTML for the sandbox page. Input is Slack's wire text, where a literal
// <, > and & arrive as &lt; &gt; &amp; and <...> marks links, mentions and channels.

const emoji = {
  white_check_mark: '✅', heavy_check_mark: '✔️', ballot_box_with_check: '☑️', double_vertical_bar: '⏸️', raised_hand: '✋', x: '❌', warning: '⚠️', rotating_light: '🚨', fire: '🔥',
  red_circle: '🔴', large_red_circle: '🔴', green_circle: '🟢', large_green_circle: '🟢', yellow_circle: '🟡',
  large_yellow_circle: '🟡', orange_circle: '🟠', large_orange_circle: '🟠', blue_circle: '🔵',
  large_blue_circle: '🔵', white_circle: '⚪', black_circle: '⚫', eyes: '👀', mag: '🔍', mag_right: '🔎',
  hourglass: '⌛', hourglass_flowing_sand: '⏳', robot_face: '🤖', wrench: '🔧', hammer_and_wrench: '🛠️',
  arrows_counterclockwise: '🔄', repeat: '🔁', rocket: '🚀', no_entry: '⛔', no_entry_sign: '🚫', lock: '🔒',
  unlock: '🔓', bulb: '💡', question: '❓', grey_question: '❔', thumbsup: '👍', '+1': '👍', thumbsdown: '👎',
  '-1': '👎', tada: '🎉', gear: '⚙️', memo: '📝', pencil: '📝', chart_with_upwards_trend: '📈',
  chart_with_downwards_trend: '📉', boom: '💥', zap: '⚡', clipboard: '📋', ship: '🚢', anchor: '⚓',
  stop_sign: '🛑', octagonal_sign: '🛑', construction: '🚧', information_source: 'ℹ️', skull: '💀', package: '📦',
  link: '🔗', arrow_right: '➡️', leftwards_arrow_with_hook: '↩️', rewind: '⏪', scales: '⚖️', brain: '🧠',
  pause_button: '⏸️', arrow_forward: '▶️', satellite: '📡', pager: '📟', bell: '🔔', ok: '🆗', sos: '🆘',
  speech_balloon: '💬', thinking_face: '🤔', wave: '👋', point_right: '👉', building_construction: '🏗️',
  broom: '🧹', test_tube: '🧪', checkered_flag: '🏁', dart: '🎯', hospital: '🏥', pill: '💊', bug: '🐛',
  large_blue_diamond: '🔷', small_blue_diamond: '🔹', small_orange_diamond: '🔸', heavy_minus_sign: '➖',
  heavy_plus_sign: '➕', arrow_up: '⬆️', arrow_down: '⬇️', calendar: '📅', clock3: '🕒', stopwatch: '⏱️',
  adhesive_bandage: '🩹', floppy_disk: '💾', scroll: '📜', card_index_dividers: '🗂️', file_folder: '📁', page_facing_up: '📄',
};

let emojiFont = true;
/** Without a colour emoji font the page shows `:shortcode:` text instead of empty boxes. */
export function setEmojiFont(available) {
  emojiFont = available;
}

/** Emoji for a `:shortcode:` name, or the shortcode itself when unknown (or no emoji font). */
export function emojiFor(name) {
  return (emojiFont ? emoji[name] : undefined) ?? `:${name}:`;
}

export function escapeHtml(text) {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Slack's entity escaping undone: the characters the sender meant. */
function decodeEntities(text) {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function safeUrl(url) {
  return /^(https?:|mailto:)/i.test(url) ? url : '#';
}

/** `<...>` tokens: links, user / channel mentions and special mentions. */
function renderAngle(inner, ctx) {
  const [target, label] = splitOnce(inner, '|');
  if (target.startsWith('@')) {
    const id = target.slice(1);
    const name = ctx.userName(id) ?? label ?? id;
    return `<span class="mention">@${escapeHtml(name)}</span>`;
  }
  if (target.startsWith('#')) {
    const id = target.slice(1);
    const name = label ?? ctx.channelName(id) ?? id;
    return `<span class="mention">#${escapeHtml(name)}</span>`;
  }
  if (target.startsWith('!date^')) return escapeHtml(formatDateToken(target, label));
  if (target.startsWith('!subteam^')) {
    return `<span class="mention">@${escapeHtml(label ?? target.slice(9))}</span>`;
  }
  if (target.startsWith('!')) {
    return `<span class="mention">@${escapeHtml(target.slice(1).split('^')[0])}</span>`;
  }
  const href = safeUrl(decodeEntities(target));
  const text = label ? renderInline(label, ctx, false) : escapeHtml(decodeEntities(target));
  return `<a href="${escapeHtml(href)}" target="_blank" rel="noopener noreferrer">${text}</a>`;
}

/** `<!date^seconds^{date_short_pretty} {time}|fallback>`, shown in the reader's time zone. */
function formatDateToken(target, fallback) {
  const [, seconds, format = ''] = target.split('^');
  const date = new Date(Number(seconds) * 1000);
  if (Number.isNaN(date.getTime())) return fallback ?? '';
  const today = new Date().toDateString() === date.toDateString();
  const tokens = {
    date_num: date.toISOString().slice(0, 10),
    date: date.toLocaleDateString('en-US', { month: 'long', day: 'numeric', year: 'numeric' }),
    date_short: date.toLocaleDateString('en-US', { month: 'short', day: 'numeric', year: 'numeric' }),
    date_long: date.toLocaleDateString('en-US', { weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' }),
    time: date.toLocaleTimeString('en-US', { hour: 'numeric', minute: '2-digit' }),
    time_secs: date.toLocaleTimeString('en-US', { hour: 'numeric', minute: '2-digit', second: '2-digit' }),
  };
  tokens.date_pretty = today ? 'today' : tokens.date;
  tokens.date_short_pretty = today ? 'today' : tokens.date_short;
  tokens.date_long_pretty = today ? 'today' : tokens.date_long;
  return format.replace(/\{(\w+)\}/g, (m, name) => tokens[name] ?? m);
}

function splitOnce(text, separator) {
  const index = text.indexOf(separator);
  return index < 0 ? [text, undefined] : [text.slice(0, index), text.slice(index + 1)];
}

/** Bold, italic, strike, links and emoji in a stretch with no code in it. */
function renderInline(text, ctx, allowAngles = true) {
  const tokens = [];
  const stash = (html) => `\u0000${tokens.push(html) - 1}\u0000`;
  let out = allowAngles ? text.replace(/<([^<>\n]+)>/g, (_m, inner) => stash(renderAngle(inner, ctx))) : text;
  out = escapeHtml(decodeEntities(out));
  out = out.replace(/(^|[\s(>_~])\*([^*\n]+?)\*(?=$|[\s).,!?:;<_~])/g, '$1<strong>$2</strong>');
  out = out.replace(/(^|[\s(>*~])_([^_\n]+?)_(?=$|[\s).,!?:;<*~])/g, '$1<em>$2</em>');
  out = out.replace(/(^|[\s(>*_])~([^~\n]+?)~(?=$|[\s).,!?:;<*_])/g, '$1<del>$2</del>');
  out = out.replace(/:([a-z0-9_+-]+):/g, (m, name) => (emoji[name] ? emoji[name] : m));
  // eslint-disable-next-line no-control-regex -- NUL marks stashed tokens; it cannot occur in Slack text
  return out.replace(/\u0000(\d+)\u0000/g, (_m, i) => tokens[Number(i)]);
}

/** Inline code spans, then the rest; `> ` quote lines; newlines kept. */
function renderParagraph(text, ctx) {
  const lines = text.split('\n');
  const html = [];
  let quote = [];
  const flushQuote = () => {
    if (quote.length > 0) html.push(`<blockquote>${quote.join('<br>')}</blockquote>`);
    quote = [];
  };
  for (const line of lines) {
    const quoted = /^(&gt;|>)\s?(.*)$/.exec(line);
    const rendered = renderCodeSpans(quoted ? quoted[2] : line, ctx);
    if (quoted) quote.push(rendered);
    else {
      flushQuote();
      html.push(rendered);
    }
  }
  flushQuote();
  return html.join('<br>').replace(/<br><blockquote>/g, '<blockquote>').replace(/<\/blockquote><br>/g, '</blockquote>');
}

/** Inline code wraps only between words, never inside one (`--replicas=3` stays whole). */
function codeWords(text) {
  return text
    .split(/(\s+)/)
    .map((word) => (word === '' || /^\s+$/.test(word) ? word : `<span class="nowrap">${escapeHtml(word)}</span>`))
    .join('');
}

function renderCodeSpans(line, ctx) {
  return line
    .split(/(`[^`\n]+`)/g)
    .map((part) =>
      part.length > 2 && part.startsWith('`') && part.endsWith('`')
        ? `<code>${codeWords(decodeEntities(part.slice(1, -1)))}</code>`
        : renderInline(part, ctx),
    )
    .join('');
}

/**
 * Renders Slack mrkdwn to HTML. `ctx` resolves mention ids: `{ userName(id), channelName(id) }`.
 */
export function renderMrkdwn(text, ctx) {
  const parts = text.split(/```/);
  return parts
    .map((part, i) => {
      if (i % 2 === 1 && i < parts.length - 1) {
        return `<pre>${escapeHtml(decodeEntities(part.replace(/^\n/, '').replace(/\n$/, '')))}</pre>`;
      }
      let body = i % 2 === 1 ? '```' + part : part;
      // A newline right beside a code block belongs to the block, not to the text.
      if (i > 0 && i % 2 === 0) body = body.replace(/^\n/, '');
      if (i < parts.length - 1 && i % 2 === 0) body = body.replace(/\n$/, '');
      return body ? renderParagraph(body, ctx) : '';
    })
    .join('');
}

/** Plain text (plain_text objects): escaped, emoji shortcodes shown when `emoji` is on. */
export function renderPlain(text, withEmoji = true) {
  const escaped = escapeHtml(text);
  return withEmoji ? escaped.replace(/:([a-z0-9_+-]+):/g, (m, name) => emoji[name] ?? m) : escaped;
}
