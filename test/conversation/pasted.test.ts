import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { answerPastedKubectl } from '../../src/conversation/pasted/answer.js';
import { stripMentions } from '../../src/conversation/triggers.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/kubectl/${name}`, import.meta.url), 'utf8');
/** As Slack delivers a paste: in a code fence, with `<` `>` `&` escaped. */
const asSlack = (text: string) => `which pods are failing?\n\`\`\`${text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}\`\`\``;

describe('pasted kubectl output', () => {
  it('get pods: says which pods are failing and why, and which restart often', () => {
    const answer = answerPastedKubectl(asSlack(fixture('get-pods.txt')));
    expect(answer).toContain('8 of 18 pods in your output are not healthy:');
    expect(answer).toMatch(/• checkout-cbmcfkjhfb-2n5rl — CrashLoopBackOff, 0\/1 ready, 10 restarts: its container keeps crashing.*`kubectl logs checkout-cbmcfkjhfb-2n5rl --previous`/);
    expect(answer).toMatch(/• frontend-djmlhfccgc-mdlh6 — ImagePullBackOff, 0\/1 ready: the image cannot be pulled/);
    expect(answer).toMatch(/• search-dmjlfbjfl-sv8h5 — Pending, 0\/1 ready: it is not scheduled/);
    expect(answer).toMatch(/• payments-fmmdglgfjm-fxm4t — Running, 0\/1 ready: it runs but is not ready/);
    expect(answer).not.toContain('redis-0');
  });

  it('get pods with the spacing collapsed (one space between columns) reads the same', () => {
    const collapsed = fixture('get-pods.txt').replace(/ {2,}/g, ' ');
    const answer = answerPastedKubectl(collapsed);
    expect(answer).toContain('8 of 18 pods in your output are not healthy:');
    expect(answer).toMatch(/cart-dclmjckjml-k6qdv — CrashLoopBackOff, 0\/1 ready, 15 restarts/);
  });

  it('get events: the warnings, by object', () => {
    const answer = answerPastedKubectl(asSlack(fixture('get-events.txt')));
    expect(answer).toContain('2 of 11 events in your output are warnings, about 2 objects:');
    expect(answer).toContain('• pod/cart-dclmjckjml-k6qdv');
    expect(answer).toContain('BackOff: Back-off restarting failed container cart in pod');
  });

  it('describe pod: phase, container state, last exit and the warning events', () => {
    const answer = answerPastedKubectl(asSlack(fixture('describe-pod.txt')));
    expect(answer).toContain('Pod shop/checkout-cbmcfkjhfb-2n5rl: Running.');
    expect(answer).toContain('• container checkout: Waiting (CrashLoopBackOff), ready false, 10 restarts, last exit: Error (exit code 1) — its container keeps crashing');
    expect(answer).toContain('BackOff: Back-off restarting failed container checkout');
  });

  it('leaves questions without kubectl output to the other answers', () => {
    expect(answerPastedKubectl('why is checkout crashing?')).toBeUndefined();
    expect(answerPastedKubectl('NAME is what?')).toBeUndefined();
  });

  it('keeps a pasted table’s lines and columns when the bot is mentioned', () => {
    const text = `<@UBOT> what is wrong here?\n${fixture('get-pods.txt')}`;
    const stripped = stripMentions(text, 'UBOT');
    expect(stripped.split('\n')[1]).toBe(fixture('get-pods.txt').split('\n')[0]);
    expect(stripMentions('<@UBOT>  ask <@UALICE> about it', 'UBOT')).toBe('ask <@UALICE> about it');
  });
});
