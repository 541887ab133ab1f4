import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from './support/context.js';
import { createAdmin, createStudent } from './support/factories.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext({ env: { LOGIN_RATE_LIMIT_PER_MINUTE: '5' } });
});
afterAll(() => ctx.close());

const post = (url: string, payload: unknown, headers: Record<string, string> = {}) => ctx.app.inject({ method: 'POST', url, payload: payload as object, headers });
const registration = (over: Record<string, unknown> = {}) => ({
  username: `user${Math.random().toString(36).slice(2, 10)}`,
  email: `u${Math.random().toString(36).slice(2, 10)}@example.org`,
  password: 'correct horse battery',
  first_name: 'Ada',
  last_name: 'Lovelace',
  ...over,
});

describe('POST /auth/register/', () => {
  it('creates a student and never returns the password hash', async () => {
    const body = registration();
    const res = await post('/auth/register/', body);
    expect(res.statusCode).toBe(201);
    const user = res.json();
    expect(user).toMatchObject({ username: body.username, email: body.email, role: 'student', first_name: 'Ada' });
    expect(typeof user.id).toBe('number');
    expect(res.body).not.toMatch(/password|argon2/);
  });

  it('refuses a role in the body: sign-up only ever makes students', async () => {
    const res = await post('/auth/register/', registration({ role: 'admin' }));
    // Unknown properties are dropped by the schema; the account is a student.
    expect(res.statusCode).toBe(201);
    expect(res.json().role).toBe('student');
  });

  it('treats usernames and emails as case-insensitively unique', async () => {
    const first = registration();
    expect((await post('/auth/register/', first)).statusCode).toBe(201);
    const sameName = await post('/auth/register/', registration({ username: first.username.toUpperCase() }));
    expect(sameName.statusCode).toBe(409);
    expect(sameName.json()).toMatchObject({ code: 'username_taken', details: [{ field: 'body.username' }] });
    const sameEmail = await post('/auth/register/', registration({ email: first.email.toUpperCase() }));
    expect(sameEmail.statusCode).toBe(409);
    expect(sameEmail.json().code).toBe('email_taken');
  });

  it.each([
    ['username', 42, 'body.username'],
    ['username', 'a b', 'body.username'],
    ['username', 'ab', 'body.username'],
    ['email', 'not-an-email', 'body.email'],
    ['email', ['a@b.co'], 'body.email'],
    ['password', 'short', 'body.password'],
    ['password', 12345678, 'body.password'],
    ['first_name', '', 'body.first_name'],
    ['first_name', null, 'body.first_name'],
    ['last_name', true, 'body.last_name'],
  ])('rejects %s = %j with a field error', async (field, value, path) => {
    const res = await post('/auth/register/', registration({ [field]: value }));
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.code).toBe('validation_failed');
    expect(body.details.map((d: { field: string }) => d.field)).toContain(path);
    expect(body.request_id).toBe(res.headers['x-request-id']);
  });

  it('reports every invalid field at once', async () => {
    const res = await post('/auth/register/', { username: 1, email: 'x', password: 'y' });
    expect(res.statusCode).toBe(400);
    const fields = res.json().details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['body.username', 'body.email', 'body.password', 'body.first_name']));
  });

  it('rejects a password equal to the username', async () => {
    const res = await post('/auth/register/', registration({ username: 'samesame1', password: 'samesame1' }));
    expect(res.statusCode).toBe(400);
    expect(res.json().details[0].field).toBe('body.password');
  });

  it('answers malformed JSON with the error shape', async () => {
    const res = await ctx.app.inject({ method: 'POST', url: '/auth/register/', payload: '{"username":', headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'bad_request' });
  });
});

describe('tokens', () => {
  it('signs in with username or email and reads /auth/me/', async () => {
    const student = await createStudent(ctx);
    for (const login of [student.username, student.email.toUpperCase()]) {
      const res = await post('/auth/token/', { username: login, password: student.password });
      expect(res.statusCode).toBe(200);
      const { access, refresh } = res.json();
      const me = await ctx.app.inject({ url: '/auth/me/', headers: { authorization: `Bearer ${access}` } });
      expect(me.statusCode).toBe(200);
      expect(me.json()).toMatchObject({ id: student.id, username: student.username });
      expect(refresh).not.toBe(access);
    }
  });

  it('refuses a wrong password and an unknown user alike', async () => {
    const student = await createStudent(ctx);
    const wrong = await post('/auth/token/', { username: student.username, password: 'wrong password' });
    const unknown = await post('/auth/token/', { username: 'nobody-here', password: 'wrong password' });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().code).toBe('invalid_credentials');
    expect(unknown.json().message).toBe(wrong.json().message);
  });

  it('refreshes an access token, and refuses an access token as a refresh token', async () => {
    const student = await createStudent(ctx);
    const { access, refresh } = (await post('/auth/token/', { username: student.username, password: student.password })).json();
    const ok = await post('/auth/token/refresh/', { refresh });
    expect(ok.statusCode).toBe(200);
    const me = await ctx.app.inject({ url: '/auth/me/', headers: { authorization: `Bearer ${ok.json().access}` } });
    expect(me.json().id).toBe(student.id);
    const bad = await post('/auth/token/refresh/', { refresh: access });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().code).toBe('token_invalid');
    // …and a refresh token is no access token either.
    const asAccess = await ctx.app.inject({ url: '/auth/me/', headers: { authorization: `Bearer ${refresh}` } });
    expect(asAccess.statusCode).toBe(401);
  });

  const key = () => new TextEncoder().encode(ctx.config.jwtSecret);
  const base64url = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

  it('rejects expired, tampered, foreign-key and alg:none tokens with 401', async () => {
    const student = await createStudent(ctx);
    const now = Math.floor(Date.now() / 1000);
    const claims = { token_type: 'access', role: 'student' };
    const expired = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject(String(student.id)).setIssuer('educonnect').setIssuedAt(now - 600).setExpirationTime(now - 300).sign(key());
    const [h, p, s] = student.token.split('.');
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString());
    const tampered = `${h}.${base64url({ ...payload, role: 'admin' })}.${s}`;
    const foreign = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject(String(student.id)).setIssuer('educonnect').setExpirationTime(now + 300).sign(new TextEncoder().encode('another secret that is long enough!!'));
    const none = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ ...payload, exp: now + 300 })}.`;

    for (const token of [expired, tampered, foreign, none, 'garbage']) {
      const res = await ctx.app.inject({ url: '/auth/me/', headers: { authorization: `Bearer ${token}` } });
      expect(res.statusCode, token).toBe(401);
      expect(res.json().code).toBe('token_invalid');
    }
    const expiredRes = await ctx.app.inject({ url: '/auth/me/', headers: { authorization: `Bearer ${expired}` } });
    expect(expiredRes.json().message).toMatch(/expired/);
    const missing = await ctx.app.inject({ url: '/auth/me/' });
    expect(missing.statusCode).toBe(401);
    expect(missing.json().code).toBe('not_authenticated');
  });

  it('cuts off a disabled account at once, token or not', async () => {
    const student = await createStudent(ctx);
    await ctx.database.db.updateTable('users').set({ is_active: false }).where('id', '=', student.id).execute();
    expect((await ctx.app.inject({ url: '/auth/me/', headers: student.auth })).statusCode).toBe(401);
    expect((await post('/auth/token/', { username: student.username, password: student.password })).statusCode).toBe(401);
  });

  it('rate-limits sign-in per client and username with 429', async () => {
    const student = await createStudent(ctx);
    const attempts = [];
    for (let i = 0; i < 6; i++) attempts.push((await post('/auth/token/', { username: student.username, password: 'nope nope' })).statusCode);
    expect(attempts.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(attempts[5]).toBe(429);
    const limited = await post('/auth/token/', { username: student.username, password: student.password });
    expect(limited.statusCode).toBe(429);
    expect(limited.json().code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Another username from the same client is not locked out.
    const other = await createStudent(ctx);
    expect((await post('/auth/token/', { username: other.username, password: other.password })).statusCode).toBe(200);
  });
});

describe('roles', () => {
  it('keeps students off admin routes (403) and admins off student routes (403)', async () => {
    const student = await createStudent(ctx);
    const admin = await createAdmin(ctx);
    for (const url of ['/edu_admin/classes/', '/edu_admin/receipt-payments/', '/edu_admin/students/']) {
      const res = await ctx.app.inject({ url, headers: student.auth });
      expect(res.statusCode, url).toBe(403);
      expect(res.json().code).toBe('forbidden');
    }
    const res = await ctx.app.inject({ method: 'POST', url: '/edu_admin/receipt-payments/1/verify/', headers: student.auth });
    expect(res.statusCode).toBe(403);
    expect((await ctx.app.inject({ url: '/students/classes/', headers: admin.auth })).statusCode).toBe(403);
    expect((await ctx.app.inject({ url: '/edu_admin/classes/' })).statusCode).toBe(401);
  });
});
