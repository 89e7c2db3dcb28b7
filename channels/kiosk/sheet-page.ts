// The one-time notification sheet (一次性告知单) as a page of its own: what the
// kiosk's QR code opens on a citizen's phone, readable without the kiosk app
// (no script at all) and printable.
import type { Card } from '../../bot/index.ts';

export type SheetCard = Extract<Card, { type: 'sheet' }>;

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => escapes[c]!);
}

/** Guides change: the page says which day it was looked up, in the service hall's time zone. */
function today(now: Date): string {
  return new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', dateStyle: 'long' }).format(now);
}

function lineHtml(line: string): string {
  // Location lines indent their window and hours under the address; numbered lines need no bullet.
  const kind = /^\s/.test(line) ? 'sub' : /^\d+\.\s/.test(line) ? 'numbered' : null;
  return `<li${kind ? ` class="${kind}"` : ''}>${escapeHtml(line.trim())}</li>`;
}

export interface SheetPageInput {
  card: SheetCard;
  department: string | null;
  /** The QR code's own address, printed on paper copies so they lead back to the page. */
  qrPath: string;
  now?: Date;
}

export function renderSheetPage({ card, department, qrPath, now = new Date() }: SheetPageInput): string {
  const sections = card.sections.map((s) => `
    <section>
      <h2>${escapeHtml(s.label)}</h2>
      <ul>${s.lines.map(lineHtml).join('')}</ul>
    </section>`).join('');
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>一次性告知单：${escapeHtml(card.title)}</title>
<link rel="stylesheet" href="/kiosk/assets/sheet.css">
</head>
<body>
<main class="sheet">
  <header>
    <p class="kicker">一次性告知单</p>
    <h1>${escapeHtml(card.title)}</h1>
    ${department ? `<p class="department">办理部门：${escapeHtml(department)}</p>` : ''}
  </header>
  ${sections}
  <footer>
    <img class="print-only qr" src="${escapeHtml(qrPath)}" alt="本告知单二维码" width="120" height="120">
    <p>查询日期：${today(now)}。以上信息来自办事指南，如有变动以办理窗口为准。</p>
    <p>政务服务便民热线：12345</p>
  </footer>
</main>
</body>
</html>
`;
}

export function renderMissingSheetPage(): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>未找到该事项</title>
<link rel="stylesheet" href="/kiosk/assets/sheet.css">
</head>
<body>
<main class="sheet">
  <h1>未找到该事项</h1>
  <p>这份告知单对应的办事指南已经更新或下线。请到自助服务终端重新查询，或拨打政务服务便民热线 12345。</p>
</main>
</body>
</html>
`;
}
