// WeChat's XML, both ways: the flat <xml> messages WeChat posts, and the passive
// replies we answer with. Values are always CDATA-wrapped strings on WeChat's side,
// so tag values are never converted to numbers (a MsgId exceeds 2^53).
import { XMLParser, XMLValidator } from 'fast-xml-parser';

const parser = new XMLParser({ parseTagValue: false, ignoreAttributes: true, ignoreDeclaration: true, trimValues: true });

export class MalformedXml extends Error {
  constructor(reason: string) {
    super(`malformed XML: ${reason}`);
    this.name = 'MalformedXml';
  }
}

/** The string children of the root <xml> element; throws MalformedXml otherwise. */
export function parseWechatXml(xml: string): Record<string, string> {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new MalformedXml(`${valid.err.msg} (line ${valid.err.line})`);
  const doc: unknown = parser.parse(xml);
  const root = doc && typeof doc === 'object' ? (doc as Record<string, unknown>)['xml'] : undefined;
  if (root === '') return {};
  if (!root || typeof root !== 'object' || Array.isArray(root)) throw new MalformedXml('the root element must be <xml>');
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(root as Record<string, unknown>)) {
    // Nested structures (ScanCodeInfo, SendPicsInfo, …) are not needed to answer.
    if (typeof value === 'string') fields[name] = value;
  }
  return fields;
}

/** CDATA cannot contain "]]>": split it across two sections. */
export function cdata(text: string): string {
  return `<![CDATA[${text.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

export interface TextReply {
  /** The citizen's OpenID (the incoming FromUserName). */
  toUser: string;
  /** The official account (the incoming ToUserName). */
  fromUser: string;
  /** Seconds since the epoch. */
  createTime: number;
  content: string;
}

export function textReplyXml(reply: TextReply): string {
  return `<xml><ToUserName>${cdata(reply.toUser)}</ToUserName><FromUserName>${cdata(reply.fromUser)}</FromUserName>`
    + `<CreateTime>${reply.createTime}</CreateTime><MsgType>${cdata('text')}</MsgType><Content>${cdata(reply.content)}</Content></xml>`;
}

export interface EncryptedReply {
  encrypt: string;
  msgSignature: string;
  timestamp: string;
  nonce: string;
}

export function encryptedReplyXml(reply: EncryptedReply): string {
  return `<xml><Encrypt>${cdata(reply.encrypt)}</Encrypt><MsgSignature>${cdata(reply.msgSignature)}</MsgSignature>`
    + `<TimeStamp>${reply.timestamp}</TimeStamp><Nonce>${cdata(reply.nonce)}</Nonce></xml>`;
}
