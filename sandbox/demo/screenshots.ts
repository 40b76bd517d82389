import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Locator, type Page } from 'playwright-core';
import { startDemo } from './start-demo.js';

/**
 * Regenerates docs/screenshots/*.png from a real demo run (README "The offline demo"):
 *   npx tsx sandbox/demo/screenshots.ts [--out docs/screenshots] [--chromium /usr/bin/chromium]
 * Same product, same alerts and the same default timings as `npm run demo`.
 */
const chromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: 'string', default: 'docs/screenshots' }, chromium: { type: 'string', default: '/usr/bin/chromium' } } });
  if (!existsSync(values.chromium)) throw new Error(`chromium not found at ${values.chromium} (Debian: apt-get install -y chromium fonts-noto-color-emoji)`);
  const out = resolve(values.out);
  await mkdir(out, { recursive: true });
  const demo = await startDemo(process.env.REDIS_URL ? { redisUrl: process.env.REDIS_URL } : {});
  const browser = await chromium.launch({ executablePath: values.chromium, args: chromiumArgs });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, deviceScaleFactor: 1 });
    await page.goto(`${demo.url}/?user=UALICE#/CINCIDENTS`);
    await demo.fireAlerts();
    const shot = async (name: string) => {
      await page.screenshot({ path: `${out}/${name}.png` });
      process.stdout.write(`wrote ${out}/${name}.png\n`);
    };
    const thread = page.locator('#thread-messages');

    // 1. The checkout thread: incident header, findings, and the proposal with its risk tag and buttons.
    await page.locator('#messages .block.header', { hasText: 'checkout' }).waitFor({ timeout: 20_000 });
    const checkoutRoot = page.locator('#messages .msg', { has: page.locator('.block.header', { hasText: 'checkout' }) });
    await openThread(checkoutRoot);
    const proposal = thread.locator('.msg', { has: page.locator('button.btn-primary', { hasText: 'Approve' }) });
    await proposal.waitFor({ timeout: 20_000 });
    await scrollIntoView(proposal);
    await shot('01-alert-thread-findings-proposal');

    // 2. Two approvers (high risk), then dry run, execution and the verifier's verdict.
    await proposal.locator('button.btn-primary', { hasText: 'Approve' }).click();
    await thread.locator('.msg.ephemeral', { hasText: 'second' }).waitFor();
    await switchUser(page, 'UCAROL');
    await proposal.locator('button.btn-primary', { hasText: 'Approve' }).click();
    await thread.locator('.msg', { hasText: 'Verified' }).waitFor({ timeout: 60_000 });
    await scrollToBottom(thread);
    await shot('02-approved-executed-verified');

    // 3. A follow-up question in the thread, answered from the incident and the cluster.
    await page.fill('#thread-input', 'is checkout healthy now?');
    await page.press('#thread-input', 'Enter');
    await thread.locator('.msg', { hasText: 'replicas desired 3' }).waitFor({ timeout: 30_000 });
    await scrollToBottom(thread);
    await shot('03-follow-up-answer');

    // 4. yolo mode: the cart fix ran by itself and was verified.
    await page.locator('#channels li', { hasText: 'platform' }).click();
    const cartRoot = page.locator('#messages .msg', { has: page.locator('.block.header', { hasText: 'OOMKilled' }) });
    await cartRoot.waitFor();
    await openThread(cartRoot);
    await thread.locator('.msg', { hasText: 'Verified' }).waitFor({ timeout: 60_000 });
    await scrollToBottom(thread);
    await shot('04-yolo-ran-by-itself');

    // 5. /k8s help, answered privately.
    await page.locator('#channels li', { hasText: 'incidents' }).click();
    await page.fill('#composer-input', '/k8s help');
    await page.press('#composer-input', 'Enter');
    await page.locator('#messages .msg.ephemeral', { hasText: '/k8s' }).waitFor({ timeout: 15_000 });
    await scrollIntoView(page.locator('#messages .msg.ephemeral').last());
    await shot('05-k8s-help');
  } finally {
    await browser.close();
    await demo.stop();
  }
}

async function openThread(root: Locator): Promise<void> {
  const replies = root.locator('button.replies');
  await replies.waitFor({ timeout: 20_000 });
  await replies.click();
}

async function switchUser(page: Page, user: string): Promise<void> {
  await page.selectOption('#user-switch', user);
  await page.locator('#user-role', { hasText: 'approver' }).waitFor();
}

async function scrollToBottom(list: Locator): Promise<void> {
  await scrollIntoView(list.locator('.msg').last());
}

/** The page re-renders a list on every update, detaching its elements: retry until one sticks. */
async function scrollIntoView(target: Locator): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await target.scrollIntoViewIfNeeded({ timeout: 1000 });
      return;
    } catch (err) {
      if (attempt >= 20) throw err;
    }
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`screenshots failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
