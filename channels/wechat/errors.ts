// The WeChat channel's own failures, told apart by where they came from: our
// configuration, a message we cannot read, WeChat's API answering an errcode, or
// the network between us and WeChat.
import { fillMessage } from '../../knowledge/index.ts';

export const WechatErrorCodes = {
  WECHAT_CONFIG: 'invalid WeChat configuration: %s',
  WECHAT_DECRYPT: 'cannot decrypt the message: %s',
  WECHAT_FOREIGN_APPID: 'the message was meant for another AppID',
  WECHAT_API: 'WeChat API error %s',
  WECHAT_NETWORK: 'cannot reach the WeChat API: %s',
} as const;

export type WechatErrorCode = keyof typeof WechatErrorCodes;

export class WechatError extends Error {
  readonly code: WechatErrorCode;

  constructor(code: WechatErrorCode, arg: string, options: { cause?: unknown } = {}) {
    super(fillMessage(WechatErrorCodes[code], [arg]), options);
    this.name = 'WechatError';
    this.code = code;
  }
}

/** WeChat answered with a non-zero errcode (40001: invalid token, 42001: token expired, …). */
export class WechatApiError extends WechatError {
  readonly errcode: number;
  readonly errmsg: string;

  constructor(errcode: number, errmsg: string) {
    super('WECHAT_API', `${errcode}: ${errmsg}`);
    this.name = 'WechatApiError';
    this.errcode = errcode;
    this.errmsg = errmsg;
  }
}
