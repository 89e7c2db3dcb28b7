// The staff curation interface in a real headless Chromium against the real
// server on loopback, as a reviewer would use it: log in, add a citizen's
// wording to an FAQ and publish, see the hit test rank it first, clear an inbox
// cluster so the citizen's question is answered, and read the analytics charts.
// Each result is checked where it matters: what /api/chat answers afterwards.
// Screenshots go to artifacts/screenshots/admin-*.png for a human to look at.
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../bot/index.ts';
import type { Matter } from '../../knowledge/index.ts';
import { testApp } from '../../test/harness.ts';

const ChromiumPath = '/usr/bin/chromium';
const ChromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const Shots = fileURLToPath(new URL('../../artifacts/screenshots/', import.meta.url));
const OperatorToken = 't';
const Reviewer = { username: 'shenhe', password: 'review-pass-2024', role: 'reviewer' };
const Viewer = { username: 'chakan', password: 'viewer-pass-2024', role: 'viewer' };
const Editor = { username: 'bianji', password: 'editor-pass-2024', role: 'editor' };

let app: FastifyInstance;
let base: string;
let browser: Browser;
let context: BrowserContext | undefined;
let pageErrors: string[] = [];
let nativeDialogs: string[] = [];

interface EntryView {
  id: string;
  version: number;
  status: string;
  publishedVersion: number | null;
  entry: { question?: string; alternates?: string[]; name?: string; aliases?: string[]; answer?: string };
}

async function staffApi<T>(path: string, init: { method?: string; body?: unknown; ifMatch?: number } = {}): Promise<{ status: number; body: T }> {
  const response = await fetch(`${base}/api/admin${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: {
      authorization: `Bearer ${OperatorToken}`,
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(init.ifMatch === undefined ? {} : { 'if-match': String(init.ifMatch) }),
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
}

/** A citizen's turn through the public chat API, in a fresh session. */
async function citizenAsks(text: string): Promise<Reply> {
  const response = await fetch(`${base}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) });
  expect(response.status).toBe(200);
  return ((await response.json()) as { reply: Reply }).reply;
}

/** Two variants of one matter, so a plain question about it needs a clarifying question (the demo KB answers directly). */
function addParkCardVariants(store: Awaited<ReturnType<typeof testApp>>['stack']['store']): void {
  const template = store.getLive('demo-social-security-card')!.entry as Matter;
  for (const [suffix, variant, material] of [['senior', '老年人', '老年人优待证'], ['student', '学生', '学生证']] as const) {
    store.create({
      ...template, id: `ui-test-park-${suffix}`, name: `公园年卡办理（${variant}）`, baseName: '公园年卡办理', variant, aliases: [],
      materials: [{ ...template.materials[0]!, name: material }],
    }, { actor: 'admin-ui-test' });
  }
}

/** Several turns in one session. */
async function conversation(texts: string[]): Promise<Reply[]> {
  let session: string | undefined;
  const replies: Reply[] = [];
  for (const text of texts) {
    const response = await fetch(`${base}/api/chat`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(session ? { session, text } : { text }),
    });
    const body = (await response.json()) as { session: string; reply: Reply };
    session = body.session;
    replies.push(body.reply);
  }
  return replies;
}

beforeAll(async () => {
  if (!existsSync(ChromiumPath)) {
    throw new Error(`Chromium not found at ${ChromiumPath}. Install Debian's chromium: apt-get update && apt-get install -y chromium (never npx playwright install)`);
  }
  mkdirSync(Shots, { recursive: true });
  const built = await testApp({ adminToken: OperatorToken, rateLimitPerMinute: 0 });
  app = built.app;
  addParkCardVariants(built.stack.store);
  base = await app.listen({ host: '127.0.0.1', port: 0 });
  for (const account of [Reviewer, Viewer, Editor]) {
    const created = await staffApi<{ username: string }>('/users', { body: account });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
  }
  browser = await chromium.launch({ executablePath: ChromiumPath, headless: true, args: ChromiumArgs });
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

afterEach(async () => {
  await context?.close();
  context = undefined;
  const errors = pageErrors;
  const dialogs = nativeDialogs;
  pageErrors = [];
  nativeDialogs = [];
  // Script errors fail the test; so do alert()/confirm() pop-ups: every message belongs in the page.
  expect(errors).toEqual([]);
  expect(dialogs).toEqual([]);
});

async function openApp(hash = ''): Promise<Page> {
  context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN', acceptDownloads: true });
  const page = await context.newPage();
  page.on('pageerror', (error) => { pageErrors.push(error.message); });
  page.on('dialog', (dialog) => { nativeDialogs.push(`${dialog.type()}: ${dialog.message()}`); void dialog.dismiss(); });
  // Nothing but this server: the app must work in an office without internet access.
  await page.route(/^(?!http:\/\/127\.0\.0\.1:)/, (route) => { pageErrors.push(`external request: ${route.request().url()}`); void route.abort(); });
  await page.goto(`${base}/admin${hash}`);
  return page;
}

async function logIn(page: Page, account: { username: string; password: string } = Reviewer): Promise<void> {
  await page.getByLabel('用户名').fill(account.username);
  await page.getByLabel('密码', { exact: true }).fill(account.password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.locator('#shell').waitFor();
  await page.getByRole('heading', { level: 1 }).first().waitFor();
}

/**
 * The whole page, taken with a window as tall as the page so the sticky bars sit
 * where a reader expects them (a full-page capture would leave them mid-page);
 * `viewport` keeps what the user sees now.
 */
/** Form controls without a label and buttons without a name, on the screen as it is now. */
async function unlabelled(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const missing: string[] = [];
    const visible = (e: Element): boolean => e.closest('[hidden]') === null && (e as HTMLElement).offsetParent !== null;
    for (const control of document.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>('#shell input, #shell select, #shell textarea')) {
      if (!visible(control)) continue;
      const named = (control.labels?.length ?? 0) > 0 || control.hasAttribute('aria-label') || control.hasAttribute('aria-labelledby');
      if (!named) missing.push(control.outerHTML.slice(0, 120));
    }
    for (const button of document.querySelectorAll('#shell button')) {
      if (visible(button) && !(button.textContent ?? '').trim() && !button.hasAttribute('aria-label')) missing.push(button.outerHTML.slice(0, 120));
    }
    return missing;
  });
}

async function shot(page: Page, name: string, { viewport = false } = {}): Promise<void> {
  const path = `${Shots}admin-${name}.png`;
  if (viewport) {
    await page.screenshot({ path });
    return;
  }
  const size = page.viewportSize()!;
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ width: size.width, height: Math.min(Math.max(height, size.height), 6000) });
  await page.screenshot({ path });
  await page.setViewportSize(size);
}

describe('staff curation interface at /admin', () => {
  it('is served from this origin with a strict content security policy', async () => {
    const page = await fetch(`${base}/admin`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await page.text();
    expect(html).not.toMatch(/https?:\/\//);
    for (const asset of html.matchAll(/(?:src|href)="(\/admin\/assets\/[^"]+)"/g)) {
      expect((await fetch(`${base}${asset[1]}`)).status, asset[1]).toBe(200);
    }
    expect((await fetch(`${base}/admin/assets/..%2Fui.ts`)).status).toBe(400);
  });

  it('logs in with username and password (a wrong password answered in the page), shows the role, logs out', async () => {
    const page = await openApp();
    await page.getByLabel('用户名').fill(Reviewer.username);
    await page.getByLabel('密码', { exact: true }).fill('not the password');
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await expect.poll(() => page.locator('#login-error').textContent()).toContain('用户名或密码错误');
    await shot(page, 'login');

    await logIn(page);
    await expect.poll(() => page.locator('.whoami').textContent()).toContain('审核员');
    expect(await page.locator('.whoami').textContent()).toContain(Reviewer.username);
    // The token stays in this tab's sessionStorage only.
    expect(await page.evaluate(() => Object.keys(localStorage).length)).toBe(0);
    expect(await page.evaluate(() => sessionStorage.getItem('banshi.admin.session'))).toContain('"role":"reviewer"');
    await page.locator('table.grid tbody tr').first().waitFor();
    expect(await unlabelled(page)).toEqual([]);
    await shot(page, 'entries');

    await page.getByRole('button', { name: '退出' }).click();
    await page.locator('#login').waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('banshi.admin.session'))).toBeNull();
  });

  it('works from the keyboard alone, with the focus always visible', async () => {
    const page = await openApp();
    await page.getByLabel('用户名').focus();
    await page.keyboard.type(Reviewer.username);
    await page.keyboard.press('Tab');
    await page.keyboard.type(Reviewer.password);
    await page.keyboard.press('Enter');
    await page.locator('#shell').waitFor();
    await page.getByRole('heading', { level: 1, name: '知识库条目' }).waitFor();

    // Tab from the top of the page reaches the navigation; Enter follows a link.
    await page.locator('#shell .brand').click();
    let reached = '';
    for (let i = 0; i < 12 && reached !== '命中测试'; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => (document.activeElement?.textContent ?? '').trim());
      const outline = await page.evaluate(() => {
        const active = document.activeElement;
        return active && active !== document.body ? getComputedStyle(active).outlineStyle : 'n/a';
      });
      expect(outline, `focus ring on ${reached}`).not.toBe('none');
    }
    expect(reached).toBe('命中测试');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: '命中测试' }).waitFor();
    // The question box has the focus; Ctrl+Enter runs the test.
    await page.keyboard.type('办护照要带什么材料');
    await page.keyboard.press('Control+Enter');
    await page.locator('table.candidates tbody tr').first().waitFor();
    expect(await page.locator('table.candidates tbody tr').first().textContent()).toContain('demo-passport');
    expect(await page.locator('.facts').textContent()).toContain('申请材料');
  });

  it('shows each role only what it may do', async () => {
    // A viewer reads: the form is there, every control disabled, no save buttons.
    const viewer = await openApp('#/entry/demo-faq-010');
    await logIn(viewer, Viewer);
    await expect.poll(() => viewer.locator('.whoami').textContent()).toContain('查看员');
    expect(await viewer.getByLabel('答案').isDisabled()).toBe(true);
    expect(await viewer.getByRole('button', { name: '保存草稿' }).count()).toBe(0);
    expect(await viewer.getByRole('link', { name: '新建问答' }).count()).toBe(0);
    await context?.close();

    // An editor edits and previews imports, but rollback and the import itself are a reviewer's.
    const editor = await openApp('#/entry/demo-faq-010');
    await logIn(editor, Editor);
    expect(await editor.getByRole('button', { name: '保存并发布' }).count()).toBe(1);
    await editor.getByRole('tab', { name: '历史版本与对比' }).click();
    await editor.locator('#panel-history table').first().waitFor();
    expect(await editor.getByRole('button', { name: /^回滚到/ }).count()).toBe(0);
    await editor.getByRole('link', { name: '导入导出' }).click();
    await editor.getByLabel('导入文件').setInputFiles({ name: 'faq.csv', mimeType: 'text/csv', buffer: Buffer.from('id,question,answer\nrole-1,角色测试问题,角色测试答案\n') });
    await editor.getByRole('button', { name: '预检' }).click();
    await editor.getByRole('heading', { name: /预检结果/ }).waitFor();
    expect(await editor.locator('main').textContent()).toContain('导入需要审核员或以上角色');
    expect(await editor.getByRole('button', { name: /^确认导入/ }).count()).toBe(0);
  });

  it('accepts the operator token too', async () => {
    const page = await openApp();
    await page.getByText('使用运维令牌（ADMIN_TOKEN）登录').click();
    await page.getByLabel('运维令牌').fill(OperatorToken);
    await page.getByRole('button', { name: '用令牌登录' }).click();
    await expect.poll(() => page.locator('.whoami').textContent()).toContain('管理员');
  });

  it('adds a citizen\'s wording to an FAQ, publishes it, and the hit test ranks that FAQ first', async () => {
    const wording = '小朋友多大能领身份证';
    // Before: the bot does not answer this wording from that FAQ.
    expect((await citizenAsks(wording)).entryId).not.toBe('demo-faq-001');

    const page = await openApp('#/entries');
    await logIn(page);
    await page.getByLabel('搜索', { exact: true }).fill('孩子多大可以办身份证');
    await page.getByRole('button', { name: '搜索', exact: true }).click();
    await page.getByRole('link', { name: '孩子多大可以办身份证？' }).click();
    await page.getByRole('heading', { level: 1, name: '孩子多大可以办身份证？' }).waitFor();

    await page.getByRole('button', { name: '＋ 添加问法' }).click();
    // The new row has focus: typing goes straight into it.
    await page.keyboard.type(wording);
    const rows = page.locator('[data-field="/alternates"] li input');
    expect(await rows.last().inputValue()).toBe(wording);
    expect(await unlabelled(page)).toEqual([]);
    await shot(page, 'editor');
    await page.getByRole('button', { name: '保存并发布' }).click();
    await expect.poll(() => page.locator('.save-status').textContent()).toContain('已发布 v2');

    const saved = await staffApi<EntryView>('/entries/demo-faq-001');
    expect(saved.body).toMatchObject({ version: 2, status: 'published', publishedVersion: 2 });
    expect(saved.body.entry.alternates).toContain(wording);
    expect(await citizenAsks(wording)).toMatchObject({ kind: 'answer', entryId: 'demo-faq-001' });

    await page.getByRole('link', { name: '命中测试' }).first().click();
    await page.getByLabel('市民的问题').fill(wording);
    await page.getByRole('button', { name: '测试', exact: true }).click();
    const first = page.locator('table.candidates tbody tr').first();
    await first.waitFor();
    expect(await first.textContent()).toContain('demo-faq-001');
    // Each stage's rank and score, the facet line, the confidence and the citizen's reply are on the page.
    expect(await first.locator('td').nth(4).textContent()).toMatch(/#\d+ \d+\.\d{3}/);
    expect(await first.locator('td').nth(5).textContent()).toMatch(/#\d+ \d+\.\d{3}|未召回/);
    expect(await page.locator('.facts').textContent()).toContain('识别的方面');
    expect(Number(await page.locator('.confidence-value').textContent())).toBeGreaterThan(0.5);
    expect(await page.locator('.reply-preview').textContent()).toContain('直接回答');
    expect(await unlabelled(page)).toEqual([]);
    await shot(page, 'hit-test');
  });

  it('marks every bad field in place and leaves the stored entry alone', async () => {
    const page = await openApp('#/entry/demo-faq-002');
    await logIn(page);
    await page.getByLabel('答案').fill('');
    await page.getByRole('button', { name: '保存草稿' }).click();
    const problem = page.locator('[data-field="/answer"] > .problem');
    await expect.poll(() => problem.isVisible()).toBe(true);
    expect(await page.getByLabel('答案').getAttribute('aria-invalid')).toBe('true');
    expect(await problem.textContent()).toContain('不能为空');
    expect(await page.locator('.problem-summary').textContent()).toContain('答案');
    await shot(page, 'problems', { viewport: true });
    expect((await staffApi<EntryView>('/entries/demo-faq-002')).body.version).toBe(1);

    // Leaving with unsaved changes asks first (in the page, not a browser pop-up); staying keeps the edit.
    await page.getByRole('link', { name: '统计' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('有未保存的修改');
    await dialog.getByRole('button', { name: '取消' }).click();
    expect(page.url()).toContain('#/entry/demo-faq-002');
    expect(await page.getByLabel('答案').inputValue()).toBe('');
    await page.getByRole('link', { name: '统计' }).click();
    await dialog.getByRole('button', { name: '离开，不保存' }).click();
    await page.getByRole('heading', { level: 1, name: '服务统计' }).waitFor();
  });

  it('shows another person\'s newer version side by side and merges only what the user chose', async () => {
    const page = await openApp('#/entry/demo-faq-003');
    await logIn(page);
    await page.getByLabel('答案').fill('可以邮寄：在窗口填写邮寄单即可（我的修改）。');
    // Meanwhile a colleague changes the question and the answer.
    const theirs = await staffApi<EntryView>('/faqs/demo-faq-003', {
      method: 'PUT', ifMatch: 1, body: { question: '身份证办好了可以邮寄到家吗？', answer: '同事的答案：可选择 EMS 邮寄。' },
    });
    expect(theirs.status).toBe(200);

    await page.getByRole('button', { name: '保存并发布' }).click();
    const conflict = page.locator('.conflict');
    await conflict.waitFor();
    expect(await conflict.textContent()).toContain('条目已被他人修改');
    const merge = page.getByRole('button', { name: '按所选合并，继续编辑' });
    // Both changed the answer: the user must choose before merging.
    expect(await merge.isDisabled()).toBe(true);
    expect(await conflict.textContent()).toContain('同事的答案');
    await shot(page, 'conflict');
    // Nothing was overwritten: the colleague's version is still the live one.
    expect((await staffApi<EntryView>('/entries/demo-faq-003')).body).toMatchObject({ version: 2, entry: { answer: '同事的答案：可选择 EMS 邮寄。' } });

    await page.locator('tr.both-changed').getByLabel('我的').check();
    await merge.click();
    await expect.poll(() => page.locator('.save-status').textContent()).toContain('已在 v2 的基础上合并');
    // The colleague's question (only they changed it) and the user's answer.
    expect(await page.getByLabel('问题', { exact: true }).inputValue()).toBe('身份证办好了可以邮寄到家吗？');
    expect(await page.getByLabel('答案').inputValue()).toBe('可以邮寄：在窗口填写邮寄单即可（我的修改）。');
    await page.getByRole('button', { name: '保存并发布' }).click();
    await expect.poll(() => page.locator('.save-status').textContent()).toContain('已发布 v3');
    expect((await staffApi<EntryView>('/entries/demo-faq-003')).body.entry).toMatchObject({
      question: '身份证办好了可以邮寄到家吗？', answer: '可以邮寄：在窗口填写邮寄单即可（我的修改）。',
    });
  });

  it('warns when a new wording already belongs to another FAQ and saves only on "仍然保存"', async () => {
    const page = await openApp('#/entry/demo-faq-004');
    await logIn(page);
    await page.getByRole('button', { name: '＋ 添加问法' }).click();
    // demo-faq-006's own question.
    await page.keyboard.type('身份证过期了还能用吗？');
    await page.getByRole('button', { name: '保存草稿' }).click();
    const conflict = page.locator('.conflict');
    await conflict.waitFor();
    expect(await conflict.textContent()).toContain('demo-faq-006');
    expect(await page.locator('[data-field="/alternates/3"] > .problem').textContent()).toContain('身份证过期了还能用吗');
    expect((await staffApi<EntryView>('/entries/demo-faq-004')).body.version).toBe(1);
    await page.getByRole('button', { name: '仍然保存' }).click();
    await expect.poll(() => page.locator('.save-status').textContent()).toContain('已保存为草稿 v2');
    // A draft: citizens still get the published version.
    expect((await staffApi<EntryView>('/entries/demo-faq-004')).body).toMatchObject({ version: 2, status: 'draft', publishedVersion: 1 });
  });

  it('shows the history with a diff between two versions and rolls back', async () => {
    const page = await openApp('#/entry/demo-faq-003');
    await logIn(page);
    await page.getByRole('tab', { name: '历史版本与对比' }).click();
    await page.getByLabel('从版本').selectOption('1');
    await page.getByLabel('到版本').selectOption('3');
    await page.getByRole('button', { name: '对比', exact: true }).click();
    const diff = page.locator('table.diff');
    await diff.waitFor();
    expect(await diff.textContent()).toContain('答案');
    expect(await diff.textContent()).toContain('问题');
    await shot(page, 'history');
    await page.getByRole('button', { name: '回滚到 v1' }).click();
    await page.locator('#confirm-ok').click();
    await expect.poll(() => page.locator('.save-status').textContent()).toContain('已回滚到 v1');
    expect((await staffApi<EntryView>('/entries/demo-faq-003')).body).toMatchObject({ version: 4, entry: { question: '身份证办好了能邮寄到家吗？' } });
  });

  it('creates a new FAQ that citizens are answered from at once', async () => {
    const page = await openApp('#/entries');
    await logIn(page);
    await page.getByRole('link', { name: '新建问答' }).click();
    await page.getByRole('heading', { level: 1, name: '新建问答' }).waitFor();
    await page.getByLabel('问题', { exact: true }).fill('市民中心停车场收费吗');
    await page.getByRole('button', { name: '＋ 添加问法' }).click();
    await page.keyboard.type('去市民中心办事停车要钱吗');
    await page.getByLabel('答案').fill('办事群众凭取号单可免费停车 2 小时。');
    await page.getByRole('button', { name: '保存并发布' }).click();
    await expect.poll(() => page.locator('.save-status').textContent()).toContain('已发布 v1');
    // The page now has the new entry's own address.
    expect(page.url()).toMatch(/#\/entry\/faq-[0-9a-f]{12}$/);
    expect(await citizenAsks('去市民中心办事停车要钱吗')).toMatchObject({ kind: 'answer', text: '办事群众凭取号单可免费停车 2 小时。' });
  });

  it('deletes an entry and restores it', async () => {
    const page = await openApp('#/entry/demo-faq-005');
    await logIn(page);
    await page.getByRole('button', { name: '删除', exact: true }).click();
    await page.locator('#confirm-ok').click();
    await expect.poll(() => page.locator('.banners').textContent()).toContain('此条目已删除');
    expect((await staffApi<{ deleted: boolean }>('/entries/demo-faq-005')).body.deleted).toBe(true);
    await page.getByRole('button', { name: '恢复' }).click();
    await expect.poll(() => page.locator('.save-status').textContent()).toContain('已恢复');
    expect((await staffApi<{ deleted: boolean }>('/entries/demo-faq-005')).body.deleted).toBe(false);
  });

  it('edits a matter guide facet by facet', async () => {
    const page = await openApp('#/entry/demo-passport');
    await logIn(page);
    await page.getByRole('navigation', { name: '事项各部分' }).getByRole('link', { name: '申请材料' }).click();
    const materials = page.locator('[data-field="/materials"]');
    const before = await materials.locator('.object-row').count();
    await page.getByRole('button', { name: '＋ 添加材料' }).click();
    await page.keyboard.type('旧护照');
    await materials.locator('.object-row').last().getByLabel('形式').selectOption('original');
    await page.getByLabel('收费情况').selectOption('charged');
    expect(await unlabelled(page)).toEqual([]);
    await shot(page, 'matter', { viewport: true });
    await page.getByRole('button', { name: '保存并发布' }).click();
    await expect.poll(() => page.locator('.save-status').textContent()).toContain('已发布');
    const saved = await staffApi<{ entry: { materials: { name: string }[]; fees: { status: string } } }>('/entries/demo-passport');
    expect(saved.body.entry.materials).toHaveLength(before + 1);
    expect(saved.body.entry.materials.at(-1)).toMatchObject({ name: '旧护照', form: 'original' });
    expect(saved.body.entry.fees.status).toBe('charged');
  });

  it('attaches an inbox cluster to an entry so the citizen\'s question is answered', async () => {
    const asked = ['护照本子页数用完了咋办', '护照本子的页数都用完了咋办'];
    for (const text of asked) expect((await citizenAsks(text)).entryId).not.toBe('demo-passport');
    // Personal data is masked when the turn is logged, long before any staff screen.
    expect((await citizenAsks('我的身份证号44010619900101123X查不到社保缴费记录')).entryId).toBeNull();
    // A wording that needed a clarifying question, resolved by the citizen's choice: a suggested alternate.
    const [clarify, chosen] = await conversation(['我想办个公园年卡', '2']);
    expect(clarify!.kind).toBe('clarify');
    expect(chosen!.entryId).toBe('ui-test-park-student');

    const page = await openApp('#/inbox');
    await logIn(page);
    const card = page.locator('article.cluster', { hasText: '护照本子' });
    await card.waitFor();
    expect(await card.locator('.examples').textContent()).toContain(asked[1]);
    expect(await card.locator('.badge.count').textContent()).toBe('2 次');

    const masked = page.locator('article.cluster', { hasText: '查不到社保缴费记录' });
    expect(await masked.textContent()).toContain('440106********123X');
    expect(await page.locator('main').textContent()).not.toContain('44010619900101123X');
    const suggestion = page.locator('.suggestions tr', { hasText: '我想办个公园年卡' });
    await suggestion.waitFor();
    expect(await unlabelled(page)).toEqual([]);
    await shot(page, 'inbox');

    await card.getByRole('button', { name: '挂到条目' }).click();
    // The picker starts from what retrieval suggests; here the passport guide is the right home.
    const picker = card.getByRole('searchbox', { name: '挂到哪个条目' });
    await picker.fill('普通护照');
    await card.getByRole('button', { name: /普通护照申领/ }).click();
    expect(await card.locator('.picker-current').textContent()).toContain('demo-passport');
    await card.getByRole('button', { name: '确认挂上' }).click();
    await expect.poll(() => card.locator('.notice.ok').textContent()).toContain('已把 2 个问法加到');
    await shot(page, 'inbox-attached');

    expect(await citizenAsks(asked[0])).toMatchObject({ entryId: 'demo-passport' });
    const inbox = await staffApi<{ items: { text: string }[] }>('/inbox');
    expect(inbox.body.items.map((c) => c.text)).not.toContain(asked[0]);

    // A new FAQ from the other cluster: its only wording carries masked personal data, so it is not offered as the question.
    await masked.getByRole('button', { name: '新建问答' }).click();
    const question = masked.getByLabel('问题', { exact: true });
    expect(await question.inputValue()).toBe('');
    await question.fill('网上查不到社保缴费记录怎么办');
    await masked.getByLabel('答案').fill('登录示例市人社网上服务大厅，在“个人缴费查询”中查询；仍查不到请带身份证到社保经办窗口查询。');
    await masked.getByRole('button', { name: '创建问答' }).click();
    await expect.poll(() => masked.locator('.notice.ok').textContent()).toContain('已创建问答');
    const created = await citizenAsks('网上查不到社保缴费记录怎么办');
    expect(created.kind).toBe('answer');
    expect(created.text).toContain('个人缴费查询');

    // Accepting the suggestion makes the wording an alternate of the entry the citizen chose.
    await suggestion.getByRole('button', { name: /^接受/ }).click();
    await expect.poll(() => suggestion.locator('.notice.ok').textContent()).toContain('已加为问法');
    expect(await citizenAsks('我想办个公园年卡')).toMatchObject({ entryId: 'ui-test-park-student' });
  });

  it('previews an import row by row and runs a batch test', async () => {
    const page = await openApp('#/import');
    await logIn(page);
    const sheet = ['id,question,alternates,answer,tags', 'ui-imp-1,市图书馆办借书证要押金吗,借书证押金,不需要押金。,文化', 'ui-imp-2,,没有问题的一行,答案,'].join('\n');
    await page.getByLabel('导入文件').setInputFiles({ name: 'faq.csv', mimeType: 'text/csv', buffer: Buffer.from(sheet) });
    await page.getByRole('button', { name: '预检' }).click();
    await page.getByRole('heading', { name: /预检结果/ }).waitFor();
    expect(await page.locator('main').textContent()).toContain('ui-imp-1');
    expect(await page.locator('tr.is-problem').textContent()).toContain('第 3 行');
    expect(await unlabelled(page)).toEqual([]);
    await shot(page, 'import');
    await page.getByRole('button', { name: '确认导入 1 条' }).click();
    await expect.poll(() => page.locator('main .notice.ok').textContent()).toContain('新建 1');
    expect(await citizenAsks('借书证押金')).toMatchObject({ entryId: 'ui-imp-1' });

    await page.getByRole('link', { name: '批量测试' }).click();
    const cases = 'question,expected_entry_id\n孩子多大可以办身份证,demo-faq-001\n办护照要带什么,demo-id-card-loss\n';
    await page.getByLabel('测试文件').setInputFiles({ name: 'cases.csv', mimeType: 'text/csv', buffer: Buffer.from(cases) });
    await page.getByRole('button', { name: '运行批量测试' }).click();
    await page.getByRole('heading', { name: /结果：2 个用例/ }).waitFor();
    expect(await page.locator('.stats').first().textContent()).toContain('50.0%');
    expect(await page.locator('main table').last().textContent()).toContain('办护照要带什么');
    await shot(page, 'batch');
  });

  it('draws the analytics charts as inline SVG from the turn log', async () => {
    // A conversation that asks about a facet, thanks the bot and rates it; and a turn at the kiosk.
    const rated = await conversation(['办护照要带什么材料', '谢谢', '满意']);
    expect(rated.map((r) => r.kind)).toEqual(['answer', 'rating', 'rating']);
    const kiosk = await fetch(`${base}/api/kiosk/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: '身份证丢了怎么补办' }) });
    expect(kiosk.status).toBe(200);

    const page = await openApp('#/analytics');
    await logIn(page);
    const daily = page.locator('[data-chart="chart-daily"] svg.chart');
    await daily.waitFor();
    for (const chart of ['chart-daily', 'chart-daily-channel', 'chart-channels', 'chart-outcomes', 'chart-top', 'chart-facets', 'chart-satisfaction', 'chart-hours']) {
      const bars = page.locator(`[data-chart="${chart}"] svg.chart rect.bar`);
      expect(await bars.count(), chart).toBeGreaterThan(0);
      const values = await bars.evaluateAll((nodes) => nodes.map((n) => Number(n.getAttribute('data-value'))));
      expect(values.some((v) => v > 0), chart).toBe(true);
    }
    // Each chart is named for screen readers and has its numbers as a table.
    expect(await daily.getAttribute('role')).toBe('img');
    expect(await page.locator('[data-chart="chart-daily"] details table tbody tr').count()).toBeGreaterThan(0);
    expect(Number(await page.locator('.stat-value').first().textContent())).toBeGreaterThan(0);
    expect(await unlabelled(page)).toEqual([]);
    await shot(page, 'analytics');

    const downloaded = page.waitForEvent('download');
    await page.getByRole('button', { name: '导出 CSV' }).click();
    expect((await downloaded).suggestedFilename()).toMatch(/^banshi-analytics-.*\.csv$/);
  });
});
