import { randomBytes } from 'node:crypto';
import type { Role } from '../../src/db/schema.js';
import type { TestContext } from './context.js';

/** Factories instead of shared seed data: each test makes exactly what it reads. */

let counter = 0;
const unique = (prefix: string) => `${prefix}${++counter}_${randomBytes(3).toString('hex')}`;

export interface TestUser {
  id: number;
  username: string;
  email: string;
  password: string;
  token: string;
  auth: { authorization: string };
}

export async function createUser(ctx: TestContext, role: Role = 'student', overrides: { username?: string; email?: string } = {}): Promise<TestUser> {
  const username = overrides.username ?? unique(role);
  const password = `pw-${randomBytes(6).toString('hex')}`;
  const user = await ctx.services.auth.createAccount({
    username,
    email: overrides.email ?? `${username}@example.test`,
    password,
    first_name: 'Test',
    last_name: role,
    role,
  });
  const token = await ctx.services.tokens.issue(user.id, user.role, 'access');
  return { id: user.id, username: user.username, email: user.email, password, token, auth: { authorization: `Bearer ${token}` } };
}

export const createStudent = (ctx: TestContext) => createUser(ctx, 'student');
export const createAdmin = (ctx: TestContext) => createUser(ctx, 'admin');

export async function createClass(ctx: TestContext, admin: TestUser, overrides: Record<string, unknown> = {}) {
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/edu_admin/classes/',
    headers: admin.auth,
    payload: { title: unique('Class '), description: 'A test class', price: '49.00', currency: 'USD', ...overrides },
  });
  if (res.statusCode !== 201) throw new Error(`createClass: ${res.statusCode} ${res.body}`);
  return res.json<{ id: number; title: string; price: string }>();
}

/** Real file headers, so that type detection from the bytes is what is exercised. */
export const files = {
  png: Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64'),
  pdf: Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n'),
  jpeg: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\0'), Buffer.alloc(64, 1), Buffer.from([0xff, 0xd9])]),
  text: Buffer.from('This is not a receipt, just text pretending to be one.\n'),
  html: Buffer.from('<html><script>alert(1)</script></html>'),
};

export interface MultipartPart {
  name: string;
  value: string | { data: Buffer; filename: string; contentType: string };
}

/** Encodes a multipart/form-data body exactly as a browser would (via the platform's FormData). */
export async function multipart(parts: MultipartPart[]): Promise<{ payload: Buffer; headers: Record<string, string> }> {
  const form = new FormData();
  for (const part of parts) {
    if (typeof part.value === 'string') form.append(part.name, part.value);
    else form.append(part.name, new Blob([part.value.data], { type: part.value.contentType }), part.value.filename);
  }
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  return { payload: Buffer.from(await request.arrayBuffer()), headers: { 'content-type': request.headers.get('content-type')! } };
}

export interface ReceiptOptions {
  classIds: number[];
  amount?: string;
  currency?: string;
  reference?: string;
  file?: { data: Buffer; filename: string; contentType: string } | null;
  extra?: MultipartPart[];
}

export async function submitReceipt(ctx: TestContext, student: TestUser, options: ReceiptOptions) {
  const parts: MultipartPart[] = [
    ...options.classIds.map((id) => ({ name: 'class_ids', value: String(id) })),
    { name: 'amount', value: options.amount ?? '49.00' },
    { name: 'currency', value: options.currency ?? 'USD' },
    { name: 'reference', value: options.reference ?? unique('TX-') },
    ...(options.extra ?? []),
  ];
  const file = options.file === undefined ? { data: files.png, filename: 'receipt.png', contentType: 'image/png' } : options.file;
  if (file) parts.push({ name: 'file', value: file });
  const body = await multipart(parts);
  return ctx.app.inject({ method: 'POST', url: '/students/receipt-payments/', headers: { ...student.auth, ...body.headers }, payload: body.payload });
}

/** Submits a receipt and returns the new payment's id, failing loudly otherwise. */
export async function paidReceipt(ctx: TestContext, student: TestUser, options: ReceiptOptions): Promise<number> {
  const res = await submitReceipt(ctx, student, options);
  if (res.statusCode !== 201) throw new Error(`submitReceipt: ${res.statusCode} ${res.body}`);
  return res.json<{ id: number }>().id;
}

/**
 * Many students at once, for load tests: one insert instead of an argon2 hash each (they never
 * sign in with a password; each gets an access token).
 */
export async function createStudents(ctx: TestContext, count: number): Promise<TestUser[]> {
  const rows = Array.from({ length: count }, () => {
    const username = unique('student');
    return { username, email: `${username}@example.test`, first_name: 'Test', last_name: 'student', role: 'student' as const, password_hash: 'no-password-sign-in' };
  });
  const users = await ctx.database.db.insertInto('users').values(rows).returning(['id', 'username', 'email']).execute();
  return Promise.all(
    users.map(async (u) => {
      const token = await ctx.services.tokens.issue(u.id, 'student', 'access');
      return { ...u, password: '', token, auth: { authorization: `Bearer ${token}` } };
    }),
  );
}
