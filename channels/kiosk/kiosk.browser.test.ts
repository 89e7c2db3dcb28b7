// The kiosk in a real headless Chromium against the real server on loopback:
// a visit from a life-event tile to the printed sheet, the phrase keyboard, the
// idle reset (screen and server both forget), and the ageing-friendly (适老化)
// rules measured from computed styles. Screenshots go to artifacts/screenshots/.
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../bot/index.ts';
import { testApp } from '../../test/harness.ts';

const ChromiumPath = '/usr/bin/chromium';
const ChromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const Shots = fileURLToPath(new URL('../../artifacts/screenshots/', import.meta.url));
/** A portrait service-hall terminal (竖屏一体机). */
const Kiosk = { width: 1080, height: 1920 };

interface ChatResponse {
  session: string;
  reply: Reply;
}

/** What the page recorded: pop-ups it tried to open, print calls, speech. */
interface Recorded {
  dialogs: string[];
  prints: number;
  spoken: { text: string; lang: string }[];
}

// Installed before any page script runs: pop-ups are recorded instead of shown,
// printing is recorded instead of opening the print dialog, speech is recorded
// instead of played (the CI machine has no audio).
const Recorder = `
  window.__recorded = { dialogs: [], prints: 0, spoken: [] };
  for (const name of ['alert', 'confirm', 'prompt']) {
    window[name] = (...args) => { window.__recorded.dialogs.push(name + ': ' + args.join(' ')); return name === 'confirm' ? false : null; };
  }
  window.print = () => { window.__recorded.prints++; };
  if (window.speechSynthesis) {
    window.speechSynthesis.speak = (u) => { window.__recorded.spoken.push({ text: u.text, lang: u.lang }); };
  }
`;

let app: FastifyInstance;
let base: string;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(ChromiumPath)) {
    throw new Error(`Chromium not found at ${ChromiumPath}. Install Debian's chromium: apt-get update && apt-get install -y chromium (never npx playwright install)`);
  }
  mkdirSync(Shots, { recursive: true });
  ({ app } = await testApp({ rateLimitPerMinute: 0 }));
  base = await app.listen({ host: '127.0.0.1', port: 0 });
  browser = await chromium.launch({ executablePath: ChromiumPath, headless: true, args: ChromiumArgs });
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

async function kioskPage(query = ''): Promise<{ context: BrowserContext; page: Page; nativeDialogs: string[] }> {
  const context = await browser.newContext({ viewport: Kiosk, locale: 'zh-CN' });
  await context.addInitScript({ content: Recorder });
  const page = await context.newPage();
  const nativeDialogs: string[] = [];
  page.on('dialog', (dialog) => { nativeDialogs.push(dialog.type()); void dialog.dismiss(); });
  await page.goto(`${base}/kiosk${query}`);
  await page.locator('.tile[data-group="出生"]').waitFor();
  return { context, page, nativeDialogs };
}

async function recorded(page: Page): Promise<Recorded> {
  return page.evaluate(() => (window as unknown as { __recorded: Recorded }).__recorded);
}

/** Taps a life-event tile and a matter; resolves with the kiosk chat response. */
async function openMatter(page: Page, event: string, entryId: string): Promise<ChatResponse> {
  await page.locator(`.tile[data-group="${event}"]`).click();
  const answered = page.waitForResponse((r) => r.url().endsWith('/api/kiosk/chat'));
  await page.locator(`#screen-list .matter[data-entry="${entryId}"]`).click();
  const response = (await (await answered).json()) as ChatResponse;
  await page.locator('#log .msg.bot:not(.waiting)').last().waitFor();
  return response;
}

interface Measured {
  bodyFontPx: number;
  smallestText: { px: number; text: string };
  largestTextPx: number;
  tightestLine: { ratio: number; text: string };
  narrowestTarget: { width: number; label: string };
  lowestTarget: { height: number; label: string };
  lowestContrast: { ratio: number; text: string; color: string; background: string };
  targets: number;
  texts: number;
}

/** The ageing-friendly figures of what is on screen now, from computed styles and layout. */
async function measure(page: Page): Promise<Measured> {
  return page.evaluate(() => {
    const rgba = (css: string): number[] => (css.match(/[\d.]+/g) ?? ['0', '0', '0', '0']).map(Number).concat(1).slice(0, 4);
    const luminance = ([r, g, b]: number[]): number => {
      const lin = (c: number): number => { const s = c / 255; return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; };
      return 0.2126 * lin(r!) + 0.7152 * lin(g!) + 0.0722 * lin(b!);
    };
    const backgroundOf = (node: Element): string => {
      for (let e: Element | null = node; e; e = e.parentElement) {
        const bg = getComputedStyle(e).backgroundColor;
        if (rgba(bg)[3]! > 0) return bg;
      }
      return 'rgb(255, 255, 255)';
    };
    const visible = (e: Element): boolean => {
      const r = e.getBoundingClientRect();
      const s = getComputedStyle(e);
      return r.width > 1 && r.height > 1 && s.visibility !== 'hidden' && s.display !== 'none' && e.closest('[hidden]') === null;
    };
    const texts = [...document.querySelectorAll('#app *')].filter((e) => visible(e)
      && [...e.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim() !== ''));
    const result = {
      bodyFontPx: parseFloat(getComputedStyle(document.body).fontSize),
      smallestText: { px: Infinity, text: '' },
      largestTextPx: 0,
      tightestLine: { ratio: Infinity, text: '' },
      narrowestTarget: { width: Infinity, label: '' },
      lowestTarget: { height: Infinity, label: '' },
      lowestContrast: { ratio: Infinity, text: '', color: '', background: '' },
      targets: 0,
      texts: texts.length,
    };
    for (const e of texts) {
      const s = getComputedStyle(e);
      const px = parseFloat(s.fontSize);
      const text = (e.textContent ?? '').trim().slice(0, 30);
      if (px < result.smallestText.px) result.smallestText = { px, text };
      result.largestTextPx = Math.max(result.largestTextPx, px);
      // 'normal' is about 1.2 in most fonts: counted as failing on purpose.
      const ratio = s.lineHeight === 'normal' ? 1.2 : parseFloat(s.lineHeight) / px;
      if (ratio < result.tightestLine.ratio) result.tightestLine = { ratio, text };
      const background = backgroundOf(e);
      const [l1, l2] = [luminance(rgba(s.color)), luminance(rgba(background))];
      const contrast = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
      if (contrast < result.lowestContrast.ratio) result.lowestContrast = { ratio: contrast, text, color: s.color, background };
    }
    for (const t of document.querySelectorAll('#app button, #app a, #app input, #app [role="button"], #app [role="tab"]')) {
      if (!visible(t)) continue;
      result.targets++;
      const r = t.getBoundingClientRect();
      const label = (t.textContent ?? '').trim().slice(0, 30);
      if (r.width < result.narrowestTarget.width) result.narrowestTarget = { width: r.width, label };
      if (r.height < result.lowestTarget.height) result.lowestTarget = { height: r.height, label };
    }
    return result;
  });
}

function expectElderlyRules(m: Measured, screen: string): void {
  const where = `${screen}: ${JSON.stringify(m)}`;
  expect(m.texts, where).toBeGreaterThan(3);
  expect(m.bodyFontPx, where).toBeGreaterThanOrEqual(24);
  expect(m.smallestText.px, where).toBeGreaterThanOrEqual(24);
  expect(m.largestTextPx, where).toBeGreaterThanOrEqual(40);
  expect(m.tightestLine.ratio, where).toBeGreaterThanOrEqual(1.3);
  expect(m.lowestContrast.ratio, where).toBeGreaterThanOrEqual(4.5);
  expect(m.targets, where).toBeGreaterThan(0);
  expect(m.narrowestTarget.width, where).toBeGreaterThanOrEqual(60);
  expect(m.lowestTarget.height, where).toBeGreaterThanOrEqual(60);
}

const measurements: Record<string, Measured> = {};

describe('kiosk in Chromium', () => {
  it('goes from the 出生 tile to the answer, the sheet with its QR code, print and the phone page', async () => {
    const { context, page, nativeDialogs } = await kioskPage('?idle=600');
    try {
      expect(await page.evaluate(() => document.documentElement.classList.contains('elderly'))).toBe(true);
      await expect(page.locator('#toggle-elderly').getAttribute('aria-pressed')).resolves.toBe('true');
      measurements['start'] = await measure(page);
      expectElderlyRules(measurements['start'], 'start');
      await page.screenshot({ path: `${Shots}kiosk-start.png` });

      await page.locator('.tile[data-group="出生"]').click();
      // 新生儿出生登记 is the matter whose main life event is 出生: listed first.
      await expect(page.locator('#screen-list .matter').first().getAttribute('data-entry')).resolves.toBe('demo-newborn-registration');
      measurements['list'] = await measure(page);
      expectElderlyRules(measurements['list'], 'list');
      await page.screenshot({ path: `${Shots}kiosk-list.png` });
      await page.locator('#nav-back').click();

      const answer = await openMatter(page, '出生', 'demo-newborn-registration');
      expect(answer.reply).toMatchObject({ entryId: 'demo-newborn-registration', card: { type: 'matter' } });
      const card = page.locator('#log .msg.bot[data-card="matter"]');
      await expect(card.locator('h2').textContent()).resolves.toBe('新生儿出生登记');
      measurements['answer'] = await measure(page);
      expectElderlyRules(measurements['answer'], 'answer');
      await page.screenshot({ path: `${Shots}kiosk-answer.png` });
      await card.getByRole('button', { name: '朗读' }).click();
      const spoken = (await recorded(page)).spoken;
      expect(spoken).toHaveLength(1);
      expect(spoken[0]).toMatchObject({ lang: 'zh-CN' });
      expect(spoken[0]!.text).toContain('新生儿出生登记');

      // Auto-read on: the next answer is read without a tap.
      await page.locator('#toggle-read').click();
      await expect(page.locator('#toggle-read').getAttribute('aria-pressed')).resolves.toBe('true');
      const sheetAnswer = page.waitForResponse((r) => r.url().endsWith('/api/kiosk/chat'));
      await card.getByRole('button', { name: '一次性告知' }).click();
      const sheet = (await (await sheetAnswer).json()) as ChatResponse;
      expect(sheet.session).toBe(answer.session);
      expect(sheet.reply.card).toMatchObject({ type: 'sheet', entryId: 'demo-newborn-registration' });
      const sheetCard = page.locator('#log .msg.bot[data-card="sheet"]');
      const qr = sheetCard.locator('img.qr');
      await qr.waitFor();
      await page.waitForFunction(() => {
        const img = document.querySelector<HTMLImageElement>('#log .msg.bot[data-card="sheet"] img.qr');
        return img !== null && img.complete && img.naturalWidth > 0;
      });
      await expect(qr.getAttribute('src')).resolves.toBe('/kiosk/sheet/demo-newborn-registration/qr.svg');
      expect((await recorded(page)).spoken.at(-1)!.text).toContain('一次性告知单');
      await sheetCard.evaluate((e) => e.scrollIntoView({ block: 'start' }));
      measurements['sheet'] = await measure(page);
      expectElderlyRules(measurements['sheet'], 'sheet');
      await page.screenshot({ path: `${Shots}kiosk-sheet.png` });

      await sheetCard.getByRole('button', { name: '打印告知单' }).click();
      expect((await recorded(page)).prints).toBe(1);
      await page.emulateMedia({ media: 'print' });
      await expect(page.locator('#app').isVisible()).resolves.toBe(false);
      await expect(page.locator('#print-area h2').textContent()).resolves.toBe('新生儿出生登记');
      await page.waitForFunction(() => {
        const img = document.querySelector<HTMLImageElement>('#print-area img.qr');
        return img !== null && img.complete && img.naturalWidth > 0 && img.getBoundingClientRect().width > 50;
      });
      await page.screenshot({ path: `${Shots}kiosk-sheet-print.png` });
      await page.emulateMedia({ media: 'screen' });

      // The QR code's target opens the same sheet on a phone.
      const qrResponse = await fetch(`${base}/kiosk/sheet/demo-newborn-registration/qr.svg`);
      const target = qrResponse.headers.get('x-qr-target');
      expect(target).toBe(`${base}/kiosk/sheet/demo-newborn-registration`);
      const phone = await context.newPage();
      await phone.setViewportSize({ width: 390, height: 844 });
      await phone.goto(target!);
      await expect(phone.locator('h1').textContent()).resolves.toBe('新生儿出生登记');
      await expect(phone.locator('section h2').allTextContents()).resolves.toEqual(
        (sheet.reply.card as Extract<Reply['card'], { type: 'sheet' }>).sections.map((s) => s.label));
      const phoneFont = await phone.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
      expect(phoneFont).toBeGreaterThanOrEqual(18);
      // Long addresses wrap: nothing is wider than the phone.
      expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await phone.screenshot({ path: `${Shots}kiosk-sheet-phone.png` });

      expect((await recorded(page)).dialogs).toEqual([]);
      expect(nativeDialogs).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('builds a question from the phrase keys and answers it', async () => {
    const { context, page } = await kioskPage('?idle=600');
    try {
      await page.locator('#open-ask').click();
      const key = (label: string) => page.locator('#keys .key', { hasText: new RegExp(`^${label}$`) });
      const tab = (label: string) => page.locator('#key-tabs .tab', { hasText: label });
      await tab('办什么事').click();
      await key('身份证').click();
      await tab('常用词').click();
      await key('丢了').click();
      await tab('想问什么').click();
      await key('要多少钱').click();
      await expect(page.locator('#ask-text').inputValue()).resolves.toBe('身份证丢了要多少钱');
      // 删除 takes back the whole phrase that was tapped in, not one character.
      await page.locator('#ask-back').click();
      await expect(page.locator('#ask-text').inputValue()).resolves.toBe('身份证丢了');
      await key('怎么办理').click();
      measurements['ask'] = await measure(page);
      expectElderlyRules(measurements['ask'], 'ask');
      await page.screenshot({ path: `${Shots}kiosk-ask.png` });
      await tab('数字').click();
      measurements['digits'] = await measure(page);
      expectElderlyRules(measurements['digits'], 'digits');
      await page.screenshot({ path: `${Shots}kiosk-digits.png` });
      await tab('想问什么').click();

      const answered = page.waitForResponse((r) => r.url().endsWith('/api/kiosk/chat'));
      await page.locator('#ask-send').click();
      const response = (await (await answered).json()) as ChatResponse;
      expect(response.reply.entryId).toBe('demo-id-card-loss');
      await expect(page.locator('#log .msg.user').last().textContent()).resolves.toContain('身份证丢了怎么办理');
      await page.locator('#log .msg.bot:not(.waiting)').last().waitFor();
      await expect(page.locator('#ask-text').inputValue()).resolves.toBe('');
      expect((await recorded(page)).dialogs).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('standard mode is smaller, and elderly mode is on again for the next visitor', async () => {
    const { context, page } = await kioskPage('?idle=600');
    try {
      await page.locator('#toggle-elderly').click();
      await expect(page.locator('#toggle-elderly').getAttribute('aria-pressed')).resolves.toBe('false');
      // The state is said in words, not only by colour.
      await expect(page.locator('#toggle-elderly').textContent()).resolves.toContain('关');
      expect(await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize))).toBeLessThan(24);
      await page.locator('#nav-ask').click();
      await page.locator('#ask-send').click(); // nothing composed yet: nothing is sent, no pop-up
      await page.locator('#nav-finish').click();
      await expect(page.locator('#toggle-elderly').getAttribute('aria-pressed')).resolves.toBe('true');
      expect(await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize))).toBe(24);
      expect((await recorded(page)).dialogs).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('clears the screen and the server session after the idle timeout, with an inline countdown', async () => {
    const { context, page, nativeDialogs } = await kioskPage('?idle=4');
    try {
      const answer = await openMatter(page, '出生', 'demo-newborn-registration');
      expect(answer.reply.entryId).toBe('demo-newborn-registration');
      const banner = page.locator('#idle-banner');
      await banner.waitFor();
      await expect(banner.textContent()).resolves.toMatch(/\d+\s*秒后将清除本次查询/);
      const seconds = Number(await page.locator('#idle-seconds').textContent());
      expect(seconds).toBeGreaterThanOrEqual(1);
      expect(seconds).toBeLessThanOrEqual(4);
      // A banner in the page's flow, not an overlay on top of it.
      await expect(banner.evaluate((e) => getComputedStyle(e).position)).resolves.toBe('static');
      await page.screenshot({ path: `${Shots}kiosk-idle-countdown.png` });

      const reset = await page.waitForResponse((r) => r.url().endsWith('/api/kiosk/reset'), { timeout: 10_000 });
      expect(reset.request().postDataJSON()).toEqual({ session: answer.session });
      expect(await reset.json()).toEqual({ reset: true });
      await page.locator('#screen-start').waitFor();
      await expect(page.locator('#log').evaluate((e) => e.childElementCount)).resolves.toBe(0);
      await expect(banner.isVisible()).resolves.toBe(false);
      await expect(page.locator('#screen-chat').isVisible()).resolves.toBe(false);

      // The server forgot too: the same session no longer knows what was discussed.
      const followUp = await fetch(`${base}/api/kiosk/chat`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ session: answer.session, text: '要多少钱' }),
      });
      const after = (await followUp.json()) as ChatResponse;
      expect(after.session).toBe(answer.session);
      expect(after.reply.entryId).toBeNull();

      // And the next visitor starts a conversation of their own.
      await page.locator('.tile[data-group="结婚"]').click();
      const next = page.waitForRequest((r) => r.url().endsWith('/api/kiosk/chat'));
      await page.locator('#screen-list .matter[data-entry="demo-marriage-registration"]').click();
      expect((await next).postDataJSON()).toEqual({ text: '结婚登记' });
      expect((await recorded(page)).dialogs).toEqual([]);
      expect(nativeDialogs).toEqual([]);
    } finally {
      await context.close();
    }
  });

  afterAll(() => {
    // The measured figures, for the README and for whoever changes the styles next.
    for (const [screen, m] of Object.entries(measurements)) {
      process.stdout.write(`kiosk ${screen}: body ${m.bodyFontPx}px, smallest text ${m.smallestText.px}px, largest ${m.largestTextPx}px, `
        + `line ${m.tightestLine.ratio.toFixed(2)}, contrast ${m.lowestContrast.ratio.toFixed(2)} (${m.lowestContrast.text}), `
        + `narrowest target ${Math.round(m.narrowestTarget.width)}px (${m.narrowestTarget.label}), lowest ${Math.round(m.lowestTarget.height)}px (${m.lowestTarget.label}), `
        + `${m.targets} targets\n`);
    }
  });
});
