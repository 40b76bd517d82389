import { describe, expect, it } from 'vitest';
import { classifyMessageEvent, stripMentions } from '../../src/conversation/triggers.js';

const bot = 'UBOT';
const base = { type: 'message', channel: 'C1', user: 'UALICE', text: 'why?', ts: '1700000002.000200' };

describe('classifyMessageEvent', () => {
  it('makes a candidate of a human reply in a thread', () => {
    expect(classifyMessageEvent({ ...base, thread_ts: '1700000001.000100' }, bot)).toEqual({
      kind: 'thread_reply', channel: 'C1', ts: base.ts, threadTs: '1700000001.000100', user: 'UALICE', text: 'why?',
    });
  });

  it('answers a mention at the top level in a new thread under the message', () => {
    expect(classifyMessageEvent({ ...base, type: 'app_mention', text: '<@UBOT> status please' }, bot)).toMatchObject({
      kind: 'mention', threadTs: base.ts, text: 'status please',
    });
  });

  it('treats a message event that mentions the bot as a mention (same claim as its app_mention)', () => {
    expect(classifyMessageEvent({ ...base, thread_ts: '1.1', text: 'hey <@UBOT> logs?' }, bot)).toMatchObject({ kind: 'mention', threadTs: '1.1', text: 'hey logs?' });
  });

  const ignored: [string, Record<string, unknown>][] = [
    ['an edit', { ...base, thread_ts: '1.1', subtype: 'message_changed', message: { text: 'edited' } }],
    ['a deletion', { ...base, thread_ts: '1.1', subtype: 'message_deleted' }],
    ['a bot_message', { ...base, thread_ts: '1.1', subtype: 'bot_message', bot_id: 'B2' }],
    ['a message from another bot without subtype', { ...base, thread_ts: '1.1', bot_id: 'B2' }],
    ['our own message', { ...base, thread_ts: '1.1', user: 'UBOT' }],
    ['our own mention of ourselves', { ...base, type: 'app_mention', user: 'UBOT', text: '<@UBOT>' }],
    ['a channel join', { ...base, subtype: 'channel_join' }],
    ['a thread broadcast', { ...base, thread_ts: '1.1', subtype: 'thread_broadcast' }],
    ['a top-level message without mention', { ...base }],
    ['a thread root itself', { ...base, thread_ts: base.ts }],
    ['a message without user', { type: 'message', channel: 'C1', ts: '1.2', thread_ts: '1.1', text: 'x' }],
    ['a reaction event', { type: 'reaction_added', user: 'U1' }],
    ['garbage', { type: 5 }],
  ];
  it.each(ignored)('ignores %s', (_name, event) => {
    expect(classifyMessageEvent(event, bot).kind).toBe('ignore');
  });
});

describe('stripMentions', () => {
  it('removes only the bot mention when the bot is known', () => {
    expect(stripMentions('<@UBOT>  ask <@UALICE> about it', 'UBOT')).toBe('ask <@UALICE> about it');
  });
});
