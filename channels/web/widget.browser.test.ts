// The widget in a real headless Chromium against the real server on loopback:
// conversations on the demo portal, history across reloads, the POST fallback,
// cross-origin embedding, keyboard use, and screenshots for a human to look at.
import { existsSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Matter } from '../../knowledge/index.ts';
import { testApp } from '../../test/harness.ts';

const CHROMIUM = '/usr/bin/chromium';
const shots = fileURLToPath(new URL('../../artifacts/screenshots/', import.meta.url));

let app: FastifyInstance;
let browser: Browser;
let base: string;
let context: BrowserContext | undefined;
let pageErrors: Error[] = [];

/** Two variants of one matter: the dialogue asks which one is meant (the demo KB answers everything directly). */
function addClarifyingMatters(store: Awaited<ReturnType<typeof testApp>>['stack']['store']): void {
  const template = store.getLive('demo-social-security-card')!.entry as Matter;
  for (const [suffix, variant, material] of [['senior', '老年人', '老年人优待证'], ['student', '学生', '学生证']] as const) {
    store.create({
      ...template, id: `web-test-park-${suffix}`, name: `公园年卡办理（${variant}）`, baseName: '公园年卡办理', variant,
      materials: [{ ...template.materials[0]!, name: material }],
    }, { actor: 'widget-test' });
  }
  // Reply text is data, never markup: this answer tries to inject some.
  store.create({
    kind: 'faq', id: 'web-test-markup', source: 'staff', tags: [], question: '挂件转义测试问题', alternates: [], followUps: [], matterId: null,
    answer: '请看 <img src=x onerror="window.__pwned=1"> <b>粗体</b> javascript:alert(1) 详见 https://www.example.gov.cn/guide?id=1。',
  }, { actor: 'widget-test' });
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install it with \`apt-get update && apt-get install -y chromium\``);
  }
  const built = await testApp({ rateLimitPerMinute: 0 });
  app = built.app;
  addClarifyingMatters(built.stack.store);
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  mkdirSync(shots, { recursive: true });
});

afterEach(async () => {
  await context?.close();
  context = undefined;
  const errors = pageErrors;
  pageErrors = [];
  expect(errors.map((e) => e.message)).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

async function newPage(options: { viewport?: { width: number; height: number }; noWebSocket?: boolean } = {}): Promise<Page> {
  context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 800 }, locale: 'zh-CN', reducedMotion: 'reduce' });
  if (options.noWebSocket) {
    await context.addInitScript(() => { (window as unknown as { WebSocket: unknown }).WebSocket = undefined; });
  }
  const page = await context.newPage();
  page.on('pageerror', (error) => { pageErrors.push(error); });
  return page;
}

/** Bot messages shown so far (the typing indicator excluded). */
async function botCount(page: Page): Promise<number> {
  return page.evaluate(() => document.querySelector('#banshi-widget')!.shadowRoot!.querySelectorAll('.msg.bot:not(.typing)').length);
}

/** Waits until there are more than `before` bot messages and nothing is pending. */
async function nextReply(page: Page, before: number): Promise<void> {
  await page.waitForFunction((n) => {
    const root = document.querySelector('#banshi-widget')?.shadowRoot;
    return !!root && root.querySelectorAll('.msg.bot:not(.typing)').length > n && !root.querySelector('.typing');
  }, before, { timeout: 15_000 });
}

async function ask(page: Page, text: string): Promise<void> {
  const before = await botCount(page);
  await page.getByLabel('输入您的问题').fill(text);
  await page.getByLabel('输入您的问题').press('Enter');
  await nextReply(page, before);
}

async function click(page: Page, name: string | RegExp): Promise<void> {
  const before = await botCount(page);
  await page.getByRole('button', { name, exact: typeof name === 'string' }).and(page.locator(':not([disabled])')).last().click();
  await nextReply(page, before);
}

/** The text of the newest bot message. */
async function lastBot(page: Page): Promise<string> {
  return page.evaluate(() => {
    const all = document.querySelector('#banshi-widget')!.shadowRoot!.querySelectorAll('.msg.bot:not(.typing)');
    return all[all.length - 1]!.textContent ?? '';
  });
}

/** The element focused inside the widget's shadow root, described by tag and class. */
async function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const host = document.querySelector('#banshi-widget');
    if (document.activeElement !== host) return `page:${document.activeElement?.tagName ?? ''}`;
    const el = host!.shadowRoot!.activeElement;
    return el ? `${el.tagName.toLowerCase()}.${el.className}` : 'none';
  });
}

async function openWidget(page: Page): Promise<void> {
  await page.getByRole('button', { name: '在线咨询' }).click();
  await page.getByText('您好，我是政务服务智能助手').waitFor();
}

describe('web widget in Chromium', () => {
  it('answers with a material checklist whose ticks and history survive a reload', async () => {
    const page = await newPage();
    await page.goto(`${base}/`);
    await openWidget(page);
    // No style leaks: the widget's CSS lives in its shadow root, the page keeps its own one <style>.
    expect(await page.evaluate(() => document.querySelectorAll('style, link[rel=stylesheet]').length)).toBe(1);

    await ask(page, '身份证补领要带什么材料');
    const checklist = page.locator('.card.checklist');
    await checklist.waitFor();
    expect(await checklist.locator('h3').textContent()).toContain('居民身份证遗失补领');
    const boxes = checklist.getByRole('checkbox');
    const total = await boxes.count();
    expect(total).toBeGreaterThan(2);
    await boxes.nth(1).check();
    expect(await checklist.locator('.progress').textContent()).toBe(`已准备 1/${total} 项`);
    await page.screenshot({ path: `${shots}desktop-checklist.png` });

    await page.reload();
    // The panel was open: it comes back open, with the conversation and the tick.
    await page.locator('.card.checklist').waitFor();
    expect(await page.locator('.msg.user').first().textContent()).toContain('身份证补领要带什么材料');
    expect(await page.getByText('您好，我是政务服务智能助手').count()).toBe(1); // no second welcome on resume
    expect(await page.locator('.card.checklist').getByRole('checkbox').nth(1).isChecked()).toBe(true);
    expect(await page.locator('.card.checklist').getByRole('checkbox').nth(0).isChecked()).toBe(false);

    // The resumed session still knows the topic: a follow-up answers about the same matter.
    await ask(page, '要多少钱');
    expect(await lastBot(page)).toContain('居民身份证遗失补领');
  });

  it('asks which variant is meant and takes the answer from a button, then walks through the matter', async () => {
    const page = await newPage();
    await page.goto(`${base}/`);
    await openWidget(page);

    await ask(page, '公园年卡办理');
    const options = page.locator('.card.options');
    await options.waitFor();
    expect(await options.getByRole('button').allTextContents()).toEqual(['1老年人', '2学生']);
    expect(await lastBot(page)).not.toContain('1. 老年人'); // the numbered list is drawn as buttons, not repeated
    await page.screenshot({ path: `${shots}desktop-options.png` });

    await click(page, '第2项：学生');
    expect(await page.locator('.msg.user').last().textContent()).toContain('2. 学生');
    expect(await page.locator('.card.matter h3').last().textContent()).toBe('公园年卡办理（学生）');
    // Answered options can no longer be clicked.
    expect(await options.getByRole('button').first().isDisabled()).toBe(true);

    // Facet buttons on the matter card send their label.
    await click(page, '需要什么材料');
    expect(await page.locator('.msg.user').last().textContent()).toContain('需要什么材料');
    expect(await page.locator('.card.checklist').last().textContent()).toContain('学生证');

    // The walkthrough: a steps card with next / previous.
    await ask(page, '一步步来');
    const steps = page.locator('.card.steps').last();
    expect(await steps.locator('.sub').textContent()).toMatch(/^第 1 步，共 \d+ 步$/);
    await click(page, '下一步');
    expect(await page.locator('.card.steps').last().locator('.sub').textContent()).toMatch(/^第 2 步/);
    await click(page, '上一步');
    expect(await page.locator('.card.steps').last().locator('.sub').textContent()).toMatch(/^第 1 步/);
    await page.screenshot({ path: `${shots}desktop-steps.png` });
    await click(page, '结束');

    // The one-time notification sheet and the satisfaction rating.
    await ask(page, '一次性告知');
    const sheet = page.locator('.card.sheet').last();
    expect(await sheet.locator('summary').allTextContents()).toContain('需要什么材料');
    await page.screenshot({ path: `${shots}desktop-sheet.png` });
    await ask(page, '谢谢');
    await page.locator('.card.rating').waitFor();
    await page.screenshot({ path: `${shots}desktop-rating.png` });
    await click(page, '满意');
    expect(await lastBot(page)).toContain('感谢您的评价');
  });

  it('keeps reply text plain: markup is shown as text and only http(s) URLs become links', async () => {
    const page = await newPage();
    await page.goto(`${base}/`);
    await openWidget(page);
    await ask(page, '挂件转义测试问题');
    const bubble = page.locator('.msg.bot').last();
    expect(await bubble.textContent()).toContain('<img src=x onerror="window.__pwned=1">');
    expect(await bubble.locator('img, b').count()).toBe(0);
    const links = bubble.locator('a');
    expect(await links.count()).toBe(1);
    expect(await links.getAttribute('href')).toBe('https://www.example.gov.cn/guide?id=1');
    expect(await links.getAttribute('rel')).toBe('noopener noreferrer');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  });

  it('renders FAQ link cards with only http(s) links clickable', async () => {
    // The demo bot does not send faq cards yet: the answer is stubbed at the HTTP boundary.
    const page = await newPage({ noWebSocket: true });
    await page.route('**/api/chat', (route) => route.fulfill({
      contentType: 'application/json',
      body: JSON.stringify({
        session: 'stub-session',
        reply: {
          kind: 'answer', text: '相关链接如下：', entryId: 'faq-1', facet: null, confidence: 0.9, candidates: [], quickReplies: ['转人工'],
          card: { type: 'faq', entryId: 'faq-1', title: '办事指南链接', links: [
            { text: '网上办事大厅', url: 'https://zwfw.example.gov.cn/' },
            { text: '恶意链接', url: 'javascript:alert(1)' },
          ] },
        },
      }),
    }));
    await page.goto(`${base}/`);
    await openWidget(page);
    await ask(page, '有没有办事链接');
    const card = page.locator('.card.faq');
    expect(await card.locator('h3').textContent()).toBe('办事指南链接');
    expect(await card.getByRole('link').count()).toBe(1);
    expect(await card.getByRole('link', { name: '网上办事大厅' }).getAttribute('href')).toBe('https://zwfw.example.gov.cn/');
    expect(await card.locator('li').nth(1).textContent()).toBe('恶意链接');
  });

  it('falls back to POST /api/chat when WebSocket is unavailable', async () => {
    const page = await newPage({ noWebSocket: true });
    const calls: string[] = [];
    page.on('request', (request) => { calls.push(`${request.method()} ${new URL(request.url()).pathname}`); });
    await page.goto(`${base}/`);
    await openWidget(page); // the welcome came over GET /api/chat/welcome
    await ask(page, '身份证补领要带什么材料');
    await page.locator('.card.checklist').waitFor();
    await ask(page, '那要多少钱'); // same session: the follow-up knows the topic
    expect(await lastBot(page)).toContain('居民身份证遗失补领');
    expect(calls.filter((c) => c === 'POST /api/chat')).toHaveLength(2);
    expect(calls).toContain('GET /api/chat/welcome');
    expect(calls.some((c) => c.endsWith('/ws'))).toBe(false);
  });

  it('shows a typing indicator while the answer is on its way', async () => {
    const page = await newPage({ noWebSocket: true });
    // Hold the answer back a little so the indicator can be seen.
    await page.route('**/api/chat', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 400));
      await route.continue();
    });
    await page.goto(`${base}/`);
    await openWidget(page);
    await page.getByLabel('输入您的问题').fill('身份证丢了怎么补办');
    await page.getByRole('button', { name: '发送' }).click();
    await page.locator('.typing').waitFor();
    expect(await page.locator('.typing').textContent()).toContain('正在输入');
    expect(await page.getByRole('button', { name: '发送' }).isDisabled()).toBe(true);
    await page.locator('.card.matter').waitFor();
    expect(await page.locator('.typing').count()).toBe(0);
  });

  it('falls back to POST /api/chat when the WebSocket connection fails', async () => {
    const page = await newPage();
    // The socket opens and is closed at once, as a proxy that refuses upgrades would.
    await page.routeWebSocket(/\/ws/, (ws) => { ws.close({ code: 1011, reason: 'unavailable' }); });
    const posts: string[] = [];
    page.on('request', (request) => { if (request.method() === 'POST') posts.push(new URL(request.url()).pathname); });
    await page.goto(`${base}/`);
    await openWidget(page);
    await ask(page, '办护照要带什么');
    await page.locator('.card.checklist').waitFor();
    expect(posts).toEqual(['/api/chat']);
  });

  it('reconnects after the connection drops and resumes the same session', async () => {
    const page = await newPage();
    const sockets: string[] = [];
    page.on('websocket', (ws) => { sockets.push(ws.url()); });
    await page.goto(`${base}/`);
    await openWidget(page);
    await ask(page, '身份证补领要带什么材料');
    expect(sockets).toHaveLength(1);

    const reconnected = page.waitForEvent('websocket');
    for (const client of app.websocketServer.clients) client.terminate();
    const socket = await reconnected;
    await socket.waitForEvent('framereceived'); // the welcome on the new socket
    const session = await page.evaluate(() => JSON.parse(Object.values(sessionStorage)[0]!).session as string);
    expect(socket.url()).toContain(`/ws?session=${encodeURIComponent(session)}`);

    await ask(page, '要多少钱');
    expect(await lastBot(page)).toContain('居民身份证遗失补领');
    expect(await page.getByText('会话已过期').count()).toBe(0);
  });

  it('works embedded on another origin through data-server (CORS), without WebSocket', async () => {
    // A second server on loopback is another origin. (A page faked with page.route would
    // count as a public site, and Chromium's local-network protection would block it.)
    const portal: Server = createServer((_request, response) => {
      response.setHeader('content-type', 'text/html; charset=utf-8');
      response.end(`<!doctype html><html lang="zh-CN"><body><h1>另一个门户</h1><script src="${base}/widget.js" data-server="${base}"></script></body></html>`);
    });
    await new Promise<void>((resolve) => portal.listen(0, '127.0.0.1', resolve));
    try {
      const page = await newPage({ noWebSocket: true });
      await page.goto(`http://127.0.0.1:${(portal.address() as AddressInfo).port}/`);
      await openWidget(page);
      await ask(page, '办护照要带什么');
      await page.locator('.card.checklist').waitFor();
      expect(await page.locator('.card.checklist h3').textContent()).toContain('护照');
    } finally {
      await new Promise((resolve) => portal.close(resolve));
    }
  });

  it('opens with the question from /?q= and asks it once', async () => {
    const page = await newPage();
    await page.goto(`${base}/?q=${encodeURIComponent('身份证丢了怎么补办')}`);
    await nextReply(page, 0);
    expect(await page.locator('.msg.user').first().textContent()).toContain('身份证丢了怎么补办');
    await page.locator('.card.matter').waitFor();
    expect(new URL(page.url()).search).toBe(''); // a reload will not ask again
    expect(await focused(page)).toBe('textarea.');
  });

  it('lets portal links ask through data-banshi-ask', async () => {
    const page = await newPage();
    await page.goto(`${base}/`);
    await page.getByRole('button', { name: /^结婚登记/ }).click();
    await nextReply(page, 0);
    expect(await page.locator('.msg.user').first().textContent()).toContain('结婚登记需要带什么');
    expect(await page.locator('.card.checklist h3').textContent()).toContain('结婚登记');
  });

  it('is usable from the keyboard: Tab to the button, Enter opens, focus in the input, Escape closes', async () => {
    const page = await newPage();
    await page.goto(`${base}/`);
    let reached = false;
    for (let i = 0; i < 60 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = (await focused(page)) === 'button.launcher';
    }
    expect(reached).toBe(true);
    const launcher = page.getByRole('button', { name: '在线咨询' });
    expect(await launcher.getAttribute('aria-expanded')).toBe('false');

    await page.keyboard.press('Enter');
    expect(await focused(page)).toBe('textarea.');
    expect(await page.getByRole('dialog', { name: '办事助手' }).isVisible()).toBe(true);
    expect(await page.getByRole('log').getAttribute('aria-live')).toBe('polite');
    await page.getByText('您好，我是政务服务智能助手').waitFor();

    // Quick replies are real buttons in the tab order, just before the input; Enter on one
    // asks it and leaves the focus in the input, not lost on the retired button.
    await page.keyboard.press('Shift+Tab');
    expect(await focused(page)).toBe('button.chip');
    const before = await botCount(page);
    await page.keyboard.press('Enter');
    expect(await focused(page)).toBe('textarea.');
    await nextReply(page, before);

    await page.keyboard.press('Escape');
    expect(await page.getByRole('dialog').count()).toBe(0);
    expect(await focused(page)).toBe('button.launcher');
    expect(await page.getByRole('button', { name: '在线咨询' }).getAttribute('aria-expanded')).toBe('false');
  });

  it('goes full-screen on a phone', async () => {
    const page = await newPage({ viewport: { width: 375, height: 740 } });
    await page.goto(`${base}/`);
    await page.screenshot({ path: `${shots}phone-portal.png` });
    await openWidget(page);
    const box = await page.getByRole('dialog').boundingBox();
    expect(box).toEqual({ x: 0, y: 0, width: 375, height: 740 });
    expect(await page.locator('.launcher').isVisible()).toBe(false);
    await ask(page, '身份证丢了怎么补办');
    await page.locator('.card.matter').waitFor();
    await page.screenshot({ path: `${shots}phone-matter.png` });
    await click(page, '需要什么材料');
    await page.locator('.card.checklist').getByRole('checkbox').first().check();
    await page.screenshot({ path: `${shots}phone-checklist.png` });
    await page.getByRole('button', { name: '关闭对话窗口' }).click();
    expect(await page.locator('.launcher').isVisible()).toBe(true);
  });

  it('screenshots the desktop portal with the widget open', async () => {
    const page = await newPage();
    await page.goto(`${base}/`);
    await page.screenshot({ path: `${shots}desktop-portal.png` });
    await openWidget(page);
    await ask(page, '身份证丢了怎么补办');
    await page.locator('.card.matter').waitFor();
    await page.screenshot({ path: `${shots}desktop-matter.png` });
  });
});
