// The staff API's own failures: a stable English code for programs, a Chinese
// message for the staff UI, an HTTP status, and the structured fields a UI needs
// (field problems, conflicting entries, the action a role may not take).
// Everything else (knowledge-base errors, fastify validation) goes on to the
// channel layer's one error handler.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { KnowledgeError, fillMessage, type StoredEntry } from '../../knowledge/index.ts';
import { CaseFileError } from '../../eval/index.ts';
import { errorHandler } from '../errors.ts';
import { entryView } from './views.ts';

export const AdminErrorCodes = {
  ADMIN_DISABLED: { status: 401, message: '未设置 ADMIN_TOKEN，员工接口已关闭' },
  UNAUTHORIZED: { status: 401, message: '请先登录：缺少或无效的凭证（Authorization: Bearer …）' },
  BAD_CREDENTIALS: { status: 401, message: '用户名或密码错误' },
  ACCOUNT_DISABLED: { status: 403, message: '账号 %s 已停用，请联系管理员' },
  FORBIDDEN: { status: 403, message: '您的角色（%s）无权%s，需要%s或以上角色' },
  LOGIN_LOCKED: { status: 429, message: '登录失败次数过多，请 %s 分钟后再试' },
  BAD_REQUEST: { status: 400, message: '%s' },
  INVALID_ENTRY: { status: 400, message: '条目内容有误：%s' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: '%s' },
  NOT_FOUND: { status: 404, message: '找不到%s' },
  USER_EXISTS: { status: 409, message: '用户名 %s 已存在' },
  ALTERNATE_CONFLICT: { status: 409, message: '有 %s 个问法已能强匹配到其他条目；确认无误可加 ?force=true 再提交' },
  PRECONDITION_REQUIRED: { status: 428, message: '缺少 If-Match 请求头：请带上您编辑时看到的条目版本号' },
} as const;

export type AdminErrorCode = keyof typeof AdminErrorCodes;

export class AdminError extends Error {
  readonly code: AdminErrorCode;
  readonly statusCode: number;
  /** Extra fields sent beside `error` and `message`: problems, conflicts, action … */
  readonly fields: Record<string, unknown>;
  /** Response headers the failure needs (Retry-After on a lockout). */
  readonly headers: Record<string, string>;

  constructor(code: AdminErrorCode, args: (string | number)[] = [],
    options: { fields?: Record<string, unknown>; headers?: Record<string, string>; cause?: unknown } = {}) {
    super(fillMessage(AdminErrorCodes[code].message, args), { cause: options.cause });
    this.name = 'AdminError';
    this.code = code;
    this.statusCode = AdminErrorCodes[code].status;
    this.fields = options.fields ?? {};
    this.headers = options.headers ?? {};
  }
}

/** The staff scope's error handler: our errors with their fields, then the knowledge base's field problems, then the shared handler. */
export function adminErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const e: unknown = error;
  if (e instanceof AdminError) {
    void reply.status(e.statusCode).headers(e.headers).send({ error: e.code, message: e.message, ...e.fields });
    return;
  }
  if (e instanceof KnowledgeError && e.code === 'INVALID_ENTRY') {
    void reply.status(400).send({ error: e.code, message: e.message, problems: e.details ?? [] });
    return;
  }
  if (e instanceof KnowledgeError && e.code === 'VERSION_CONFLICT') {
    // The winner comes back in the shape every other staff answer has, so a form can reload from it.
    const current = e.details as StoredEntry | null;
    void reply.status(409).send({
      error: e.code, message: '条目已被他人修改，请在最新版本上重新编辑', ...(current ? { current: entryView(current) } : {}),
    });
    return;
  }
  if (e instanceof CaseFileError) {
    void reply.status(400).send({ error: 'BAD_REQUEST', message: e.message });
    return;
  }
  errorHandler(error, request, reply);
}
