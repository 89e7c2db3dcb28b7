import { describe, expect, it } from 'vitest';
import { decodeEntities, htmlToText, parseNumber, parseTimeLimit } from './text.ts';

describe('parseTimeLimit', () => {
  it('reads the Guangdong export form "N(单位)"', () => {
    expect(parseTimeLimit('20(工作日)')).toEqual({ value: 20, unit: 'working_day', text: '20(工作日)' });
    expect(parseTimeLimit('90(自然日)')).toEqual({ value: 90, unit: 'natural_day', text: '90(自然日)' });
    expect(parseTimeLimit('15（工作日）')).toMatchObject({ value: 15, unit: 'working_day' });
  });

  it('reads the units written out in prose', () => {
    expect(parseTimeLimit('30日')).toMatchObject({ value: 30, unit: 'natural_day' });
    expect(parseTimeLimit('7天')).toMatchObject({ value: 7, unit: 'natural_day' });
    expect(parseTimeLimit('5个工作日')).toMatchObject({ value: 5, unit: 'working_day' });
    expect(parseTimeLimit('2小时')).toMatchObject({ value: 2, unit: 'hour' });
    expect(parseTimeLimit('3个月')).toMatchObject({ value: 3, unit: 'month' });
    expect(parseTimeLimit('二十个工作日')).toMatchObject({ value: 20, unit: 'working_day' });
    expect(parseTimeLimit('自受理之日起十五日内办结')).toMatchObject({ value: 15, unit: 'natural_day' });
    // The model has no year: a year is twelve months.
    expect(parseTimeLimit('1年')).toMatchObject({ value: 12, unit: 'month' });
  });

  it('reads on-the-spot matters as immediate, led by their first word', () => {
    expect(parseTimeLimit('即办')).toEqual({ value: 0, unit: 'immediate', text: '即办' });
    expect(parseTimeLimit('当场办结')).toMatchObject({ value: 0, unit: 'immediate' });
    expect(parseTimeLimit('当场办结，最长不超过5个工作日')).toMatchObject({ value: 0, unit: 'immediate' });
  });

  it('gives null for no time limit, and keeps wording it cannot read', () => {
    expect(parseTimeLimit('无')).toBeNull();
    expect(parseTimeLimit('  ')).toBeNull();
    expect(parseTimeLimit(null)).toBeNull();
    expect(parseTimeLimit('视情况而定')).toEqual({ value: null, unit: null, text: '视情况而定' });
  });
});

describe('parseNumber', () => {
  it('reads Arabic, full-width and Chinese numerals', () => {
    expect(parseNumber('20')).toBe(20);
    expect(parseNumber('２０')).toBe(20);
    expect(parseNumber('十五')).toBe(15);
    expect(parseNumber('两')).toBe(2);
    expect(parseNumber('一百二十')).toBe(120);
    expect(parseNumber('几')).toBeNull();
  });
});

describe('decodeEntities', () => {
  it('decodes named and numeric references exactly once', () => {
    expect(decodeEntities('A&amp;B &lt;b&gt; &#20013;&#x6587; &nbsp;&rarr;')).toBe('A&B <b> 中文  →');
    expect(decodeEntities('&amp;lt;')).toBe('&lt;');
    expect(decodeEntities('Q&A &unknown; &#0;')).toBe('Q&A &unknown; \ufffd');
  });
});

describe('htmlToText', () => {
  it('turns line-breaking tags into lines and keeps links as "text (URL)"', () => {
    const html = '第一行<br />第二行<BR>請見<A href="https://www.gov.taipei/x?a=1&amp;b=2" target=_blank>市府網站</A>。';
    expect(htmlToText(html)).toBe('第一行\n第二行\n請見市府網站 (https://www.gov.taipei/x?a=1&b=2)。');
  });

  it('does not repeat a URL the link text or the following text already shows', () => {
    expect(htmlToText('<a href="http://a.tw/">http://a.tw/</a>')).toBe('http://a.tw/');
    expect(htmlToText('<a href="http://a.tw/">本局網站</a>(http://a.tw/)')).toBe('本局網站(http://a.tw/)');
    expect(htmlToText('<a href="/ct.asp?x=1">相對連結</a>')).toBe('相對連結');
    expect(htmlToText('<a href="mailto:a@b.tw">信箱</a>')).toBe('信箱 (a@b.tw)');
  });

  it('keeps the line breaks of plain text and removes replacement characters', () => {
    expect(htmlToText('  第一段\r\n\r\n\r\n\r\n第二段\n  第三段  ')).toBe('第一段\n\n第二段\n第三段');
    expect(htmlToText('化\ufffd品')).toBe('化品');
  });

  it('treats source line breaks in HTML as spaces, and drops hard wraps between CJK characters', () => {
    expect(htmlToText('<div>曾申\n請預留，第70\n條</div><div>next\nline</div>')).toBe('曾申請預留，第70 條\nnext line');
  });

  it('numbers ordered list items from their start and bullets the others', () => {
    const html = '<ol start="2"><li>甲</li><li>乙</li></ol><ul><li>丙</li></ul>';
    expect(htmlToText(html)).toBe('2. 甲\n3. 乙\n\n• 丙');
  });

  it('drops head, title, style, script and comments but not what follows them', () => {
    const html = '<html><head><title>標題</title><style>p{color:red}</style></head><body><!-- <p>x</p> -->答案<script>alert(1)</script></body></html>';
    expect(htmlToText(html)).toBe('答案');
  });

  it('collapses spaces, &nbsp; and ideographic spaces, and keeps at most one blank line', () => {
    expect(htmlToText('<p>a&nbsp;&nbsp; b\u3000\u3000c</p><p></p><p></p><p>d</p>')).toBe('a b c\n\nd');
    expect(htmlToText('a<br><br><br><br>b')).toBe('a\n\nb');
  });

  it('separates table cells by a space and rows by a line', () => {
    expect(htmlToText('<table><tr><th>名稱</th><th>電話</th></tr><tr><td>動物之家</td><td>02-8791-3254</td></tr></table>'))
      .toBe('名稱 電話\n動物之家 02-8791-3254');
  });

  it('leaves escaped markup as text and an unclosed "<" alone', () => {
    expect(htmlToText('1 &lt; 2 &amp;&amp; <b>粗體</b> a < b')).toBe('1 < 2 && 粗體 a < b');
  });

  it('keeps image alt text and full image URLs, without repeating text already shown', () => {
    expect(htmlToText('<img alt="流程圖" src="http://a.tw/f.png">')).toBe('流程圖 (http://a.tw/f.png)');
    expect(htmlToText('步驟一<br><img src="/rel.png" alt="步驟一">')).toBe('步驟一');
  });
});
