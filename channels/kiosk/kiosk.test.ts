// The kiosk's server side through app.inject(): the catalogue built from the live
// demo knowledge base, the sheet page and its QR code, the kiosk chat door and the
// idle reset that makes the server forget a conversation.
import type { FastifyInstance } from 'fastify';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../bot/index.ts';
import type { Stack } from '../../cli/stack.ts';
import { faq, matter } from '../../test/fixtures.ts';
import { testApp } from '../../test/harness.ts';
import { buildCatalog, LifeEventOrder, type Catalog } from './catalog.ts';

interface ChatResponse {
  session: string;
  reply: Reply;
}

let app: FastifyInstance;
let stack: Stack;

beforeAll(async () => {
  ({ app, stack } = await testApp());
});

afterAll(async () => {
  await app.close();
});

async function catalog(): Promise<Catalog> {
  const response = await app.inject({ method: 'GET', url: '/api/kiosk/catalog' });
  expect(response.statusCode).toBe(200);
  return response.json<Catalog>();
}

async function say(text: string, session?: string): Promise<ChatResponse> {
  const response = await app.inject({ method: 'POST', url: '/api/kiosk/chat', payload: session ? { session, text } : { text } });
  expect(response.statusCode).toBe(200);
  return response.json<ChatResponse>();
}

const ids = (c: Catalog, group: 'lifeEvents' | 'departments', name: string): string[] =>
  c[group].find((g) => g.name === name)?.matters.map((m) => m.id) ?? [];

describe('GET /api/kiosk/catalog', () => {
  it('groups the demo matter guides by life event, in the order a life runs', async () => {
    const c = await catalog();
    const names = c.lifeEvents.map((g) => g.name);
    // Every demo theme is a known life event, so the tiles follow LifeEventOrder exactly.
    expect(names).toEqual(LifeEventOrder.filter((e) => names.includes(e)));
    expect(names.slice(0, 4)).toEqual(['出生', '上学', '就业', '结婚']);
    expect(names).toEqual(expect.arrayContaining(['购房', '退休', '身后事']));

    // 新生儿出生登记 lists 出生 as its main theme; 社会保障卡申领 and 城乡居民医保参保 list it later.
    const birth = ids(c, 'lifeEvents', '出生');
    expect(birth[0]).toBe('demo-newborn-registration');
    expect(birth).toEqual(expect.arrayContaining(['demo-social-security-card', 'demo-medical-insurance-enrol']));
    expect(ids(c, 'lifeEvents', '结婚').sort())
      .toEqual(['demo-divorce-registration', 'demo-marriage-certificate-reissue', 'demo-marriage-registration']);
    expect(ids(c, 'lifeEvents', '退休')[0]).toBe('demo-pension-claim');
    expect(ids(c, 'lifeEvents', '身后事')).toEqual(expect.arrayContaining(['demo-death-hukou-cancellation', 'demo-funeral-allowance']));
  });

  it('groups by department, busiest first, and lists only live matter guides', async () => {
    const c = await catalog();
    const police = ids(c, 'departments', '示例市公安局');
    expect(police).toEqual(expect.arrayContaining(['demo-newborn-registration', 'demo-id-card-loss', 'demo-hukou-move-in']));
    expect(police).not.toContain('demo-passport'); // its own department: 出入境管理支队
    const sizes = c.departments.map((g) => g.matters.length);
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    const listed = new Set([...c.lifeEvents, ...c.departments].flatMap((g) => g.matters.map((m) => m.id)));
    for (const id of listed) expect(stack.retriever.entry(id)?.kind).toBe('matter');
  });

  it('follows the live knowledge base: a new matter appears, an FAQ never does', async () => {
    stack.store.create(matter('kiosk-test-birth-allowance', { name: '独生子女父母奖励申领', themes: ['出生'], department: '示例市卫生健康委员会' }), { actor: 'test' });
    stack.store.create(faq('kiosk-test-faq', { question: '新生儿出生登记可以网上办吗' }), { actor: 'test' });
    const c = await catalog();
    expect(ids(c, 'lifeEvents', '出生')).toContain('kiosk-test-birth-allowance');
    expect(ids(c, 'departments', '示例市卫生健康委员会')).toEqual(['kiosk-test-birth-allowance']);
    expect(JSON.stringify(c)).not.toContain('kiosk-test-faq');
    stack.store.remove('kiosk-test-birth-allowance', { actor: 'test' });
    expect(ids(await catalog(), 'lifeEvents', '出生')).not.toContain('kiosk-test-birth-allowance');
  });
});

describe('buildCatalog', () => {
  it('names variants, puts unknown themes after the known life events and skips blank departments', () => {
    const c = buildCatalog([
      matter('a', { name: '户口迁入', variant: '投靠亲属', themes: ['家庭', '购房'], department: ' ' }),
      matter('b', { name: '户口迁入', themes: ['购房'], department: '公安局' }),
      faq('f'),
    ]);
    expect(c.lifeEvents.map((g) => g.name)).toEqual(['购房', '家庭']);
    // b has 购房 as its main theme, a only as its second.
    expect(c.lifeEvents[0]!.matters.map((m) => m.title)).toEqual(['户口迁入', '户口迁入（投靠亲属）']);
    expect(c.departments).toEqual([{ name: '公安局', matters: [{ id: 'b', title: '户口迁入', department: '公安局' }] }]);
  });
});

describe('the one-time notification sheet', () => {
  it('renders a phone page from the bot’s own sheet, with no script and only same-origin resources', async () => {
    const response = await app.inject({ method: 'GET', url: '/kiosk/sheet/demo-newborn-registration' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.headers['content-security-policy']).toContain("default-src 'none'");
    const html = response.body;
    expect(html).toContain('<h1>新生儿出生登记</h1>');
    for (const label of ['办理条件', '需要什么材料', '收费标准', '办理时限', '办理地点', '咨询电话', '办理流程', '网上办理']) {
      expect(html).toContain(`<h2>${label}</h2>`);
    }
    expect(html).toContain('办理部门：示例市公安局');
    expect(html).toContain('src="/kiosk/sheet/demo-newborn-registration/qr.svg"');
    expect(html).not.toContain('<script');
    expect(html).not.toMatch(/(?:src|href)="https?:/);
  });

  it('escapes what a guide says', async () => {
    stack.store.create(matter('kiosk-test-escape', { name: '<script>alert(1)</script>证明', conditions: 'A & B "引号"' }), { actor: 'test' });
    const html = (await app.inject({ method: 'GET', url: '/kiosk/sheet/kiosk-test-escape' })).body;
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;证明');
    expect(html).toContain('A &amp; B &quot;引号&quot;');
    expect(html).not.toContain('<script>');
    stack.store.remove('kiosk-test-escape', { actor: 'test' });
  });

  it('answers 404 with a page for an unknown entry and for an FAQ', async () => {
    stack.store.create(faq('kiosk-test-faq-sheet'), { actor: 'test' });
    for (const id of ['no-such-matter', 'kiosk-test-faq-sheet']) {
      const page = await app.inject({ method: 'GET', url: `/kiosk/sheet/${id}` });
      expect(page.statusCode).toBe(404);
      expect(page.body).toContain('未找到该事项');
      expect((await app.inject({ method: 'GET', url: `/kiosk/sheet/${id}/qr.svg` })).statusCode).toBe(404);
    }
  });

  it('serves the QR code as SVG pointing at the sheet page on the host the kiosk used', async () => {
    const response = await app.inject({ method: 'GET', url: '/kiosk/sheet/demo-newborn-registration/qr.svg', headers: { host: 'hall-3.example:8080' } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('image/svg+xml');
    const target = 'http://hall-3.example:8080/kiosk/sheet/demo-newborn-registration';
    expect(response.headers['x-qr-target']).toBe(target);
    // Same text, same options → the same code: the SVG really encodes that address.
    expect(response.body).toBe(await QRCode.toString(target, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }));
  });

  it('uses the configured public address when phones reach the server elsewhere', async () => {
    const { app: behindProxy } = await testApp({ kiosk: { publicUrl: 'https://banshi.example.gov.cn/' } });
    try {
      const response = await behindProxy.inject({ method: 'GET', url: '/kiosk/sheet/demo-newborn-registration/qr.svg' });
      const target = 'https://banshi.example.gov.cn/kiosk/sheet/demo-newborn-registration';
      expect(response.headers['x-qr-target']).toBe(target);
      expect(response.body).toBe(await QRCode.toString(target, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }));
    } finally {
      await behindProxy.close();
    }
  });
});

describe('POST /api/kiosk/chat and /api/kiosk/reset', () => {
  it('answers like /api/chat and logs the turns as channel kiosk', async () => {
    const first = await say('新生儿出生登记');
    expect(first.reply).toMatchObject({ kind: 'answer', entryId: 'demo-newborn-registration', card: { type: 'matter' } });
    const sheet = await say('一次性告知', first.session);
    expect(sheet.session).toBe(first.session);
    expect(sheet.reply.card).toMatchObject({ type: 'sheet', entryId: 'demo-newborn-registration' });
    const channels = stack.db.prepare('SELECT DISTINCT channel FROM turns WHERE session = ?').all(first.session) as { channel: string }[];
    expect(channels).toEqual([{ channel: 'kiosk' }]);
  });

  it('rejects a bad body with 400', async () => {
    const response = await app.inject({ method: 'POST', url: '/api/kiosk/chat', payload: { text: '' } });
    expect(response.statusCode).toBe(400);
    expect((await app.inject({ method: 'POST', url: '/api/kiosk/reset', payload: {} })).statusCode).toBe(400);
  });

  it('forgets the conversation: after a reset the same session no longer knows the topic', async () => {
    // Control: without a reset the follow-up leans on the matter under discussion.
    const kept = await say('新生儿出生登记');
    expect((await say('要多少钱', kept.session)).reply.entryId).toBe('demo-newborn-registration');

    const wiped = await say('新生儿出生登记');
    const reset = await app.inject({ method: 'POST', url: '/api/kiosk/reset', payload: { session: wiped.session } });
    expect(reset.statusCode).toBe(200);
    expect(reset.json()).toEqual({ reset: true });
    const after = await say('要多少钱', wiped.session);
    expect(after.session).toBe(wiped.session);
    expect(after.reply.entryId).toBeNull();
  });

  it('does not reset a session it never issued to a kiosk', async () => {
    const web = (await app.inject({ method: 'POST', url: '/api/chat', payload: { text: '新生儿出生登记' } })).json<ChatResponse>();
    for (const session of ['made-up', web.session]) {
      const reset = await app.inject({ method: 'POST', url: '/api/kiosk/reset', payload: { session } });
      expect(reset.json()).toEqual({ reset: false });
    }
    const followUp = (await app.inject({ method: 'POST', url: '/api/chat', payload: { session: web.session, text: '要多少钱' } })).json<ChatResponse>();
    expect(followUp.reply.entryId).toBe('demo-newborn-registration');
  });
});

describe('GET /kiosk', () => {
  it('serves the app with its idle timeout and a same-origin-only policy', async () => {
    const page = await app.inject({ method: 'GET', url: '/kiosk' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.body).toContain('<meta name="kiosk-idle" content="90">');
    expect(page.body).not.toMatch(/src="https?:|href="https?:/);
    const script = await app.inject({ method: 'GET', url: '/kiosk/assets/kiosk.js' });
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toMatch(/^text\/javascript/);
    expect((await app.inject({ method: 'GET', url: '/kiosk/assets/missing.js' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/kiosk/assets/..%2Fplugin.ts' })).statusCode).toBe(400);
  });

  it('takes the idle timeout from the app config', async () => {
    const { app: quick } = await testApp({ kiosk: { idleSeconds: 45 } });
    try {
      expect((await quick.inject({ method: 'GET', url: '/kiosk' })).body).toContain('<meta name="kiosk-idle" content="45">');
    } finally {
      await quick.close();
    }
  });
});
