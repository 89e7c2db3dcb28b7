import { describe, expect, it } from 'vitest';
import { MalformedXml, cdata, encryptedReplyXml, parseWechatXml, textReplyXml } from './xml.ts';

describe('WeChat XML', () => {
  it('reads CDATA verbatim and plain values as strings, keeping a 64-bit MsgId exact', () => {
    const fields = parseWechatXml('<xml><ToUserName><![CDATA[gh_1]]></ToUserName><CreateTime>1348831860</CreateTime>'
      + '<Content><![CDATA[ 护照 <要带> 什么 ]]></Content><MsgId>1234567890123456789</MsgId><ScanCodeInfo><ScanType>qrcode</ScanType></ScanCodeInfo></xml>');
    expect(fields).toEqual({ ToUserName: 'gh_1', CreateTime: '1348831860', Content: ' 护照 <要带> 什么 ', MsgId: '1234567890123456789' });
  });

  it('refuses what is not well-formed <xml>', () => {
    expect(() => parseWechatXml('<xml><Content>oops</xml>')).toThrow(MalformedXml);
    expect(() => parseWechatXml('not xml at all')).toThrow(MalformedXml);
    expect(() => parseWechatXml('<root><a>1</a></root>')).toThrow(MalformedXml);
    expect(() => parseWechatXml('')).toThrow(MalformedXml);
  });

  it('builds a text reply that reads back, even with "]]>" in the content', () => {
    const xml = textReplyXml({ toUser: 'oUser', fromUser: 'gh_1', createTime: 1700000000, content: 'a ]]> b & <c>' });
    expect(parseWechatXml(xml)).toEqual({ ToUserName: 'oUser', FromUserName: 'gh_1', CreateTime: '1700000000', MsgType: 'text', Content: 'a ]]> b & <c>' });
    expect(cdata('x]]>y')).toBe('<![CDATA[x]]]]><![CDATA[>y]]>');
  });

  it('builds the encrypted envelope', () => {
    expect(parseWechatXml(encryptedReplyXml({ encrypt: 'QUJD', msgSignature: 'sig', timestamp: '1700000000', nonce: '99' })))
      .toEqual({ Encrypt: 'QUJD', MsgSignature: 'sig', TimeStamp: '1700000000', Nonce: '99' });
  });
});
