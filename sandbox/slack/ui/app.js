/* global document, window, fetch, EventSource, localStorage, setTimeout, clearTimeout, URL, URLSearchParams */
// The sandbox page: channels, messages, threads and Block Kit, acting as the chosen user.
import { renderAttachments, renderBlocks } from './blocks.js';
import { escapeHtml, renderMrkdwn, setEmojiFont } from './mrkdwn.js';

const $ = (id) => document.getElementById(id);
const view = { data: null, channel: null, threadTs: null, user: null, seen: {} };

const palette = ['#e8912d', '#2bac76', '#4a154b', '#1264a3', '#e01e5a', '#36c5f0', '#9e3997', '#0b4f6c'];
function colorOf(id) {
  let hash = 0;
  for (const ch of id) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return palette[hash % palette.length];
}

function timeOf(ts) {
  return new Date(Number(ts) * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

const mentionCtx = {
  userName: (id) => view.data?.users.find((u) => u.id === id)?.name,
  channelName: (id) => view.data?.channels.find((c) => c.id === id)?.name,
};

function isTopLevel(m) {
  return !m.thread_ts || m.thread_ts === m.ts;
}

function author(m) {
  const user = view.data.users.find((u) => u.id === m.user);
  if (m.bot_id) return { name: user?.realName ?? view.data.bot.name, bot: true, id: m.user ?? m.bot_id };
  return { name: user?.realName ?? user?.name ?? m.user ?? 'unknown', bot: false, id: m.user ?? '?' };
}

function renderAvatar(who) {
  if (who.bot) return '<div class="avatar bot">⚓</div>';
  const initials = who.name.split(/\s+/).map((p) => p[0] ?? '').join('').slice(0, 2).toUpperCase();
  return `<div class="avatar" style="background:${colorOf(who.id)}">${escapeHtml(initials)}</div>`;
}

function renderContent(m) {
  const ref = { channel: m.channel, ts: m.ts };
  let html = '';
  if (Array.isArray(m.blocks) && m.blocks.length > 0) html += renderBlocks(m.blocks, mentionCtx, ref);
  else if (m.text) html += `<div>${renderMrkdwn(m.text, mentionCtx)}</div>`;
  if (Array.isArray(m.attachments)) html += renderAttachments(m.attachments, mentionCtx, ref);
  for (const f of m.files ?? []) html += `<div class="file">📄 <span>${escapeHtml(f.title || f.name)}</span></div>`;
  return html;
}

function renderMessage(m, { inThread }) {
  const who = author(m);
  const meta =
    `<span class="author">${escapeHtml(who.name)}</span>` +
    (who.bot ? '<span class="app-badge">APP</span>' : '') +
    `<span class="time" title="${m.ts}">${timeOf(m.ts)}</span>` +
    (m.edited ? '<span class="edited">(edited)</span>' : '');
  const reactions = (m.reactions ?? [])
    .map((r) => `<span class="reaction">${renderMrkdwn(`:${r.name}:`, mentionCtx)} ${r.count}</span>`)
    .join('');
  const replies =
    !inThread && m.reply_count
      ? `<button type="button" class="replies" data-thread="${m.ts}"><span class="count">${m.reply_count} ${m.reply_count === 1 ? 'reply' : 'replies'}</span><span class="last">Last reply ${timeOf(m.latest_reply ?? m.ts)}</span></button>`
      : '';
  return (
    `<div class="msg" data-ts="${m.ts}">${renderAvatar(who)}<div class="msg-body"><div class="msg-meta">${meta}</div>` +
    `<div class="msg-content">${renderContent(m)}</div>` +
    (reactions ? `<div class="reactions">${reactions}</div>` : '') +
    `${replies}</div></div>`
  );
}

function renderEphemeral(e) {
  const m = { ...e, bot_id: view.data.bot.botId, user: view.data.bot.userId };
  return renderMessage(m, { inThread: true })
    .replace('class="msg"', 'class="msg ephemeral"')
    .replace('<div class="msg-content">', '<div class="only-you">Only visible to you</div><div class="msg-content">');
}

/** Messages then ephemerals, in ts order, as HTML. */
function renderList(messages, ephemerals, options) {
  const items = [...messages.map((m) => ({ ts: m.ts, html: () => renderMessage(m, options) }))];
  for (const e of ephemerals) items.push({ ts: e.ts, html: () => renderEphemeral(e) });
  items.sort((a, b) => Number(a.ts) - Number(b.ts));
  return items.map((i) => i.html()).join('');
}

function keepScroll(element, update) {
  const atBottom = element.scrollHeight - element.scrollTop - element.clientHeight < 60 || !element.dataset.rendered;
  update();
  element.dataset.rendered = '1';
  if (atBottom) element.scrollTop = element.scrollHeight;
}

function render() {
  const data = view.data;
  if (!data) return;
  $('team-name').textContent = data.title;
  const channel = data.channels.find((c) => c.id === view.channel) ?? data.channels[0];
  view.channel = channel?.id ?? null;
  renderSidebar();
  if (!channel) return;
  $('channel-name').textContent = `# ${channel.name}`;
  $('channel-topic').textContent = channel.topic ?? '';
  $('channel-topic').title = channel.topic ?? '';
  $('composer-input').placeholder = `Message #${channel.name}`;
  const top = data.messages.filter((m) => m.channel === channel.id && isTopLevel(m));
  const eph = data.ephemerals.filter((e) => e.channel === channel.id && !e.thread_ts);
  view.seen[channel.id] = top.length;
  keepScroll($('messages'), () => {
    $('messages').innerHTML = top.length + eph.length > 0 ? renderList(top, eph, { inThread: false }) : '<div class="empty">No messages yet. Alerts will open threads here.</div>';
  });
  renderThread(channel);
}

function renderSidebar() {
  const data = view.data;
  $('channels').innerHTML = data.channels
    .map((c) => {
      const count = data.messages.filter((m) => m.channel === c.id && isTopLevel(m)).length;
      const unread = c.id !== view.channel ? count - (view.seen[c.id] ?? 0) : 0;
      const cls = [c.id === view.channel ? 'active' : '', unread > 0 ? 'unread' : ''].join(' ');
      return `<li class="${cls}" data-channel="${c.id}"><span># ${escapeHtml(c.name)}</span>${unread > 0 ? `<span class="badge">${unread}</span>` : ''}</li>`;
    })
    .join('');
  const last = data.lastBotRequest;
  const dot = last ? (last.status === 200 ? 'ok' : 'bad') : '';
  $('bot-status').innerHTML = data.botUrl
    ? `<span class="dot ${dot}"></span>${escapeHtml(data.botUrl)}${last ? `<br>last ${escapeHtml(last.kind)}: HTTP ${last.status || 'unreachable'}` : ''}`
    : '<span class="dot"></span>no bot URL set';
  const user = data.users.find((u) => u.id === view.user);
  $('user-role').textContent = user?.title ?? '';
  $('user-role').className = `role ${/not an approver|viewer/i.test(user?.title ?? '') ? 'viewer' : /approver/i.test(user?.title ?? '') ? 'approver' : ''}`;
}

function renderThread(channel) {
  const pane = $('thread-pane');
  const root = view.threadTs && view.data.messages.find((m) => m.channel === channel.id && m.ts === view.threadTs);
  if (!root) {
    pane.hidden = true;
    return;
  }
  pane.hidden = false;
  $('thread-channel').textContent = `# ${channel.name}`;
  const replies = view.data.messages.filter((m) => m.channel === channel.id && m.thread_ts === root.ts && m.ts !== root.ts);
  const eph = view.data.ephemerals.filter((e) => e.channel === channel.id && e.thread_ts === root.ts);
  const divider = replies.length > 0 ? `<div class="reply-divider">${replies.length} ${replies.length === 1 ? 'reply' : 'replies'}</div>` : '';
  keepScroll($('thread-messages'), () => {
    $('thread-messages').innerHTML = renderMessage(root, { inThread: true }) + divider + renderList(replies, eph, { inThread: true });
  });
}

function renderUsers() {
  const people = view.data.users.filter((u) => !u.isBot);
  if (!people.some((u) => u.id === view.user)) view.user = people[0]?.id ?? null;
  $('user-switch').innerHTML = people
    .map((u) => `<option value="${u.id}"${u.id === view.user ? ' selected' : ''}>${escapeHtml(u.realName ?? u.name)} (@${escapeHtml(u.name)})</option>`)
    .join('');
}

let refreshTimer = null;
// Ephemerals live as long as this page: the first state says from when.
let ephemeralsSince = null;
async function refresh() {
  const since = ephemeralsSince === null ? '' : `&since=${encodeURIComponent(ephemeralsSince)}`;
  const res = await fetch(`/sandbox/state?user=${encodeURIComponent(view.user ?? '')}${since}`);
  const first = !view.data;
  view.data = await res.json();
  ephemeralsSince ??= view.data.now;
  if (first) renderUsers();
  render();
}
function scheduleRefresh() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => void refresh(), 40);
}

function toast(text, isError = false) {
  const el = $('toast');
  el.textContent = text;
  el.className = `toast${isError ? ' error' : ''}`;
  el.hidden = false;
  clearTimeout(el.timer);
  el.timer = setTimeout(() => (el.hidden = true), 4000);
}

async function post(path, body) {
  const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const answer = await res.json();
  if (!answer.ok) toast(answer.error ? `Sandbox: ${answer.error}` : `The bot answered HTTP ${answer.status || 'nothing (unreachable)'}`, true);
  scheduleRefresh();
  return answer;
}

/** `@alice` → `<@UALICE>`, so the bot sees real mentions. */
function encodeMentions(text) {
  return text.replace(/(^|\s)@([a-z0-9._-]+)/gi, (m, space, name) => {
    const user = view.data.users.find((u) => u.name.toLowerCase() === name.toLowerCase());
    return user ? `${space}<@${user.id}>` : m;
  });
}

async function send(text, threadTs) {
  const trimmed = text.trim();
  if (!trimmed || !view.channel) return;
  const command = /^(\/\w+)\s*([\s\S]*)$/.exec(trimmed);
  if (command) await post('/sandbox/command', { user: view.user, channel: view.channel, command: command[1], text: command[2] });
  else await post('/sandbox/message', { user: view.user, channel: view.channel, text: encodeMentions(trimmed), ...(threadTs ? { threadTs } : {}) });
}

function bindComposer(formId, inputId, threadOf) {
  const input = $(inputId);
  const submit = () => {
    const text = input.value;
    input.value = '';
    void send(text, threadOf());
  };
  $(formId).addEventListener('submit', (event) => {
    event.preventDefault();
    submit();
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      submit();
    }
  });
}

function updateHash() {
  window.location.hash = view.threadTs ? `/${view.channel}/${view.threadTs}` : `/${view.channel}`;
}

function onClick(event) {
  const button = event.target.closest('button[data-action-id]');
  if (button) {
    if (button.dataset.url) window.open(button.dataset.url, '_blank', 'noopener');
    if (button.classList.contains('busy')) return;
    button.classList.add('busy');
    const { actionId, value, channel, messageTs } = button.dataset;
    void post('/sandbox/click', { user: view.user, channel, messageTs, actionId, ...(value ? { value } : {}) }).finally(() => button.classList.remove('busy'));
    return;
  }
  const replies = event.target.closest('[data-thread]');
  if (replies) {
    view.threadTs = replies.dataset.thread;
    updateHash();
    render();
    $('thread-input').focus();
    return;
  }
  const channel = event.target.closest('li[data-channel]');
  if (channel) {
    view.channel = channel.dataset.channel;
    view.threadTs = null;
    delete $('messages').dataset.rendered;
    updateHash();
    render();
  }
}

function start() {
  const params = new URLSearchParams(window.location.search);
  view.user = params.get('user') ?? localStorage.getItem('sandbox-user');
  const [, channel, threadTs] = window.location.hash.split('/');
  view.channel = channel || null;
  view.threadTs = threadTs || null;
  document.addEventListener('click', onClick);
  $('thread-close').addEventListener('click', () => {
    view.threadTs = null;
    updateHash();
    render();
  });
  $('user-switch').addEventListener('change', (event) => {
    view.user = event.target.value;
    localStorage.setItem('sandbox-user', view.user);
    const url = new URL(window.location.href);
    url.searchParams.set('user', view.user);
    window.history.replaceState(null, '', url);
    void refresh();
  });
  bindComposer('composer', 'composer-input', () => undefined);
  bindComposer('thread-composer', 'thread-input', () => view.threadTs);
  const events = new EventSource('/sandbox/events');
  events.addEventListener('change', scheduleRefresh);
  events.addEventListener('open', scheduleRefresh);
  void refresh();
}

/** Whether the browser draws colour emoji; without such a font, glyphs would be empty boxes. */
function hasColourEmoji() {
  try {
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 32;
    const g = canvas.getContext('2d');
    if (!g) return true;
    g.textBaseline = 'top';
    g.font = `28px ${window.getComputedStyle(document.documentElement).fontFamily}`;
    g.fillText('\u{1F6A8}', 0, 0);
    const { data } = g.getImageData(0, 0, 32, 32);
    for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 0 && (Math.abs(data[i] - data[i + 1]) > 40 || Math.abs(data[i + 1] - data[i + 2]) > 40)) return true;
    return false;
  } catch {
    return true;
  }
}

setEmojiFont(hasColourEmoji());
start();
