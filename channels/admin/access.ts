// Who is calling and what their role lets them do. Every staff route but login
// sits behind `authenticate`; each route then names the action it performs, so
// a refusal says which action the caller's role may not take.
import type { FastifyRequest } from 'fastify';
import { OPERATOR, RoleLabels, roleAtLeast, type Role, type StaffAccounts } from './accounts.ts';
import { AdminError } from './errors.ts';
import { secretsEqual } from './passwords.ts';

export interface Staff {
  /** The audit trail's actor: the username, or 'operator' for ADMIN_TOKEN. */
  username: string;
  role: Role;
  via: 'operator' | 'session';
  /** The session token, so logout can end it. */
  token: string;
}

/** What each route does, the least role that may do it, and how a refusal names it. */
export const Actions = {
  read: { role: 'viewer', label: '查看知识库、统计与待办' },
  'hit-test': { role: 'viewer', label: '做命中测试' },
  edit: { role: 'editor', label: '编辑、删除或恢复条目' },
  'import-preview': { role: 'editor', label: '预检导入文件' },
  'batch-test': { role: 'editor', label: '运行批量测试' },
  curate: { role: 'editor', label: '处理未答问题与问法建议' },
  publish: { role: 'reviewer', label: '发布草稿' },
  rollback: { role: 'reviewer', label: '回滚版本' },
  import: { role: 'reviewer', label: '批量导入' },
  'manage-users': { role: 'admin', label: '管理员工账号' },
} as const satisfies Record<string, { role: Role; label: string }>;

export type Action = keyof typeof Actions;

const callers = new WeakMap<FastifyRequest, Staff>();

export function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match ? match[1]! : null;
}

/** The onRequest hook of the secured scope: ADMIN_TOKEN acts as the operator (admin), a session token as its user. */
export function authenticator(accounts: StaffAccounts, adminToken: string | undefined) {
  return async (request: FastifyRequest): Promise<void> => {
    // CONTRACTS §1: without ADMIN_TOKEN the staff API refuses every call.
    if (!adminToken) throw new AdminError('ADMIN_DISABLED');
    const token = bearerToken(request);
    if (!token) throw new AdminError('UNAUTHORIZED');
    if (secretsEqual(token, adminToken)) {
      callers.set(request, { username: OPERATOR, role: 'admin', via: 'operator', token });
      return;
    }
    const user = accounts.session(token);
    if (!user) throw new AdminError('UNAUTHORIZED');
    callers.set(request, { username: user.username, role: user.role, via: 'session', token });
  };
}

/** A route-level onRequest hook: refuses callers whose role is below the action's. */
export function allow(action: Action) {
  const needed = Actions[action];
  return async (request: FastifyRequest): Promise<void> => {
    const staff = staffOf(request);
    if (!roleAtLeast(staff.role, needed.role)) {
      throw new AdminError('FORBIDDEN', [RoleLabels[staff.role], needed.label, RoleLabels[needed.role]], {
        fields: { action, role: staff.role, required: needed.role },
      });
    }
  };
}

export function staffOf(request: FastifyRequest): Staff {
  const staff = callers.get(request);
  if (!staff) throw new AdminError('UNAUTHORIZED');
  return staff;
}
