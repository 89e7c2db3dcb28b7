// Login, logout, the caller's own account, and account management (admin only).
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { OPERATOR } from './accounts.ts';
import { allow, staffOf } from './access.ts';
import { actorOf, type AdminContext } from './context.ts';
import { AdminError } from './errors.ts';

const LoginBody = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 64 }),
  password: Type.String({ minLength: 1, maxLength: 256 }),
}, { additionalProperties: false });

const NewUserBody = Type.Object({
  username: Type.String(),
  password: Type.String({ maxLength: 256 }),
  role: Type.String(),
}, { additionalProperties: false });

const UserChangeBody = Type.Object({
  role: Type.Optional(Type.String()),
  password: Type.Optional(Type.String({ maxLength: 256 })),
  disabled: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });

const PasswordBody = Type.Object({
  current: Type.String({ maxLength: 256 }),
  password: Type.String({ maxLength: 256 }),
}, { additionalProperties: false });

/** The one route reachable without credentials (it still needs ADMIN_TOKEN to be set). */
export async function loginRoutes(app: FastifyInstance, admin: AdminContext): Promise<void> {
  app.post<{ Body: Static<typeof LoginBody> }>('/login', { schema: { body: LoginBody } }, async (request) => {
    if (!admin.settings.token) throw new AdminError('ADMIN_DISABLED');
    const { token, expiresAt, user } = await admin.accounts.login(request.body.username, request.body.password, request.ip);
    return { token, expiresAt, user: { username: user.username, role: user.role } };
  });
}

export async function accountRoutes(app: FastifyInstance, admin: AdminContext): Promise<void> {
  const { accounts } = admin;

  app.post('/logout', async (request, reply) => {
    const staff = staffOf(request);
    // ADMIN_TOKEN is configuration, not a session: there is nothing to end.
    if (staff.via === 'session') accounts.logout(staff.token, staff.username);
    return reply.status(204).send();
  });

  app.get('/me', async (request) => {
    const staff = staffOf(request);
    return { username: staff.username, role: staff.role, via: staff.via };
  });

  app.put<{ Body: Static<typeof PasswordBody> }>('/me/password', { schema: { body: PasswordBody } }, async (request) => {
    const staff = staffOf(request);
    if (staff.via !== 'session') throw new AdminError('BAD_REQUEST', [`${OPERATOR} 使用 ADMIN_TOKEN，没有密码可改`]);
    // Re-entering the current password keeps a borrowed, unlocked screen from taking the account over.
    await accounts.checkCredentials(staff.username, request.body.current, request.ip);
    const user = await accounts.update(staff.username, { password: request.body.password }, staff.username);
    return { username: user.username, role: user.role, message: '密码已修改，请重新登录' };
  });

  const manage = { onRequest: allow('manage-users') };
  app.get('/users', manage, async () => ({ users: accounts.list() }));

  app.post<{ Body: Static<typeof NewUserBody> }>('/users', { ...manage, schema: { body: NewUserBody } }, async (request, reply) => {
    const user = await accounts.create(request.body, actorOf(request));
    return reply.status(201).send(user);
  });

  app.put<{ Params: { name: string }; Body: Static<typeof UserChangeBody> }>('/users/:name',
    { ...manage, schema: { body: UserChangeBody } },
    async (request) => accounts.update(request.params.name, request.body, actorOf(request)));

  app.get<{ Querystring: { limit?: number } }>('/users/audit',
    { ...manage, schema: { querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) }) } },
    async (request) => ({ events: accounts.events(request.query.limit ?? 100) }));
}
