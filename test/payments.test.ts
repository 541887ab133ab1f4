import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from './support/context.js';
import { createAdmin, createClass, createStudent, files, paidReceipt, submitReceipt, type TestUser } from './support/factories.js';
import { formatSizeLimit } from '../src/payments/receipt-store.js';

let ctx: TestContext;
let admin: TestUser;
let algebra: { id: number };
let python: { id: number };

beforeAll(async () => {
  ctx = await createTestContext({ env: { MAX_RECEIPT_BYTES: String(64 * 1024) } });
  admin = await createAdmin(ctx);
  algebra = await createClass(ctx, admin, { price: '49.00' });
  python = await createClass(ctx, admin, { price: 79 });
});
afterAll(() => ctx.close());

const verify = (id: number, user = admin) => ctx.app.inject({ method: 'POST', url: `/edu_admin/receipt-payments/${id}/verify/`, headers: user.auth });
const reject = (id: number, reason: unknown = 'The transfer never arrived') =>
  ctx.app.inject({ method: 'POST', url: `/edu_admin/receipt-payments/${id}/reject/`, headers: admin.auth, payload: { reason } as object });
const enrollmentsOf = async (student: TestUser) => (await ctx.app.inject({ url: '/students/enrollments/', headers: student.auth })).json<Array<{ class: { id: number }; status: string }>>();
const countRows = async (table: 'receipt_payments' | 'receipt_payment_classes' | 'enrollments') =>
  Number((await ctx.database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

/** Files under the receipt store, temporary ones included. */
async function storedFiles(): Promise<string[]> {
  const root = join(ctx.dataDir, 'receipts');
  try {
    return (await readdir(root, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
  } catch {
    return [];
  }
}

describe('submitting a receipt', () => {
  it('stores a pending payment for two classes with the file detected from its bytes', async () => {
    const student = await createStudent(ctx);
    const res = await submitReceipt(ctx, student, { classIds: [algebra.id, python.id], amount: '128', currency: 'usd' });
    expect(res.statusCode).toBe(201);
    const payment = res.json();
    expect(payment).toMatchObject({
      status: 'pending',
      amount: '128.00',
      currency: 'USD',
      expected_amount: '128.00',
      amount_matches: true,
      receipt: { content_type: 'image/png', size: files.png.length, original_name: 'receipt.png' },
    });
    expect(payment.classes.map((c: { id: number }) => c.id).sort()).toEqual([algebra.id, python.id].sort());
    expect(payment.receipt.sha256).toMatch(/^[0-9a-f]{64}$/);

    const file = await ctx.app.inject({ url: payment.receipt.url, headers: student.auth });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('image/png');
    expect(file.headers['x-content-type-options']).toBe('nosniff');
    expect(file.rawPayload.equals(files.png)).toBe(true);
  });

  it.each([
    ['pdf', files.pdf, 'application/pdf'],
    ['jpeg', files.jpeg, 'image/jpeg'],
  ])('accepts a %s receipt', async (_name, data, type) => {
    const student = await createStudent(ctx);
    const res = await submitReceipt(ctx, student, { classIds: [algebra.id], file: { data, filename: 'r.bin', contentType: 'application/octet-stream' } });
    expect(res.statusCode).toBe(201);
    expect(res.json().receipt.content_type).toBe(type);
  });

  it('flags an amount that does not match the classes', async () => {
    const student = await createStudent(ctx);
    const id = await paidReceipt(ctx, student, { classIds: [algebra.id, python.id], amount: '49.00' });
    const res = await ctx.app.inject({ url: `/edu_admin/receipt-payments/${id}/`, headers: admin.auth });
    expect(res.json()).toMatchObject({ amount: '49.00', expected_amount: '128.00', amount_matches: false });
  });

  const refusals: Array<[string, Parameters<typeof submitReceipt>[2], number, string]> = [
    ['a text file named .png and sent as image/png', { classIds: [1], file: { data: files.text, filename: 'r.png', contentType: 'image/png' } }, 400, 'unsupported_file_type'],
    ['an HTML file', { classIds: [1], file: { data: files.html, filename: 'r.pdf', contentType: 'application/pdf' } }, 400, 'unsupported_file_type'],
    ['a file over the size limit', { classIds: [1], file: { data: Buffer.concat([files.png, Buffer.alloc(70 * 1024)]), filename: 'big.png', contentType: 'image/png' } }, 413, 'payload_too_large'],
    ['an empty file', { classIds: [1], file: { data: Buffer.alloc(0), filename: 'e.png', contentType: 'image/png' } }, 400, 'validation_failed'],
    ['no file', { classIds: [1], file: null }, 400, 'validation_failed'],
    ['an unknown class', { classIds: [999_999] }, 400, 'unknown_class'],
    ['no class', { classIds: [] }, 400, 'validation_failed'],
    ['a non-numeric class id', { classIds: [], extra: [{ name: 'class_ids', value: 'abc' }] }, 400, 'validation_failed'],
    ['a negative amount', { classIds: [1], amount: '-5' }, 400, 'validation_failed'],
    ['an amount with three decimals', { classIds: [1], amount: '1.234' }, 400, 'validation_failed'],
    ['a bad currency', { classIds: [1], currency: 'dollars' }, 400, 'validation_failed'],
    ['an empty reference', { classIds: [1], reference: ' ' }, 400, 'validation_failed'],
    ['an unknown field', { classIds: [1], extra: [{ name: 'status', value: 'verified' }] }, 400, 'validation_failed'],
    ['two files', { classIds: [1], extra: [{ name: 'file', value: { data: files.png, filename: 'a.png', contentType: 'image/png' } }] }, 400, 'validation_failed'],
  ];

  it.each(refusals)('refuses %s and stores nothing', async (_name, options, status, code) => {
    const student = await createStudent(ctx);
    const classIds = options.classIds.map((id) => (id === 1 ? algebra.id : id));
    const before = { payments: await countRows('receipt_payments'), links: await countRows('receipt_payment_classes'), files: (await storedFiles()).length };
    const res = await submitReceipt(ctx, student, { ...options, classIds });
    expect(res.statusCode).toBe(status);
    expect(res.json()).toMatchObject({ code });
    expect(res.json().message).toEqual(expect.stringMatching(/\S.{8,}/));
    expect(await countRows('receipt_payments')).toBe(before.payments);
    expect(await countRows('receipt_payment_classes')).toBe(before.links);
    expect((await storedFiles()).length).toBe(before.files);
  });

  it('says the size limit in KB below 1 MB', async () => {
    const student = await createStudent(ctx);
    const res = await submitReceipt(ctx, student, { classIds: [algebra.id], file: { data: Buffer.concat([files.png, Buffer.alloc(70 * 1024)]), filename: 'big.png', contentType: 'image/png' } });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ message: 'The receipt is larger than 64 KB', details: [{ field: 'file', message: 'must be at most 64 KB' }] });
    expect([1000, 64 * 1024, 1024 * 1024, 1.5 * 1024 * 1024, 10 * 1024 * 1024].map(formatSizeLimit)).toEqual(['1000 bytes', '64 KB', '1 MB', '1.5 MB', '10 MB']);
  });

  it('refuses JSON instead of a form', async () => {
    const student = await createStudent(ctx);
    const res = await ctx.app.inject({ method: 'POST', url: '/students/receipt-payments/', headers: student.auth, payload: { class_ids: [algebra.id] } });
    expect(res.statusCode).toBe(415);
    expect(res.json().code).toBe('unsupported_media_type');
  });

  it('refuses a class the student is already enrolled in', async () => {
    const student = await createStudent(ctx);
    expect((await verify(await paidReceipt(ctx, student, { classIds: [algebra.id] }))).statusCode).toBe(200);
    const again = await submitReceipt(ctx, student, { classIds: [algebra.id] });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('already_enrolled');
  });
});

describe('verifying', () => {
  it('enrolls the student in every class paid for, and a repeat changes nothing', async () => {
    const student = await createStudent(ctx);
    const id = await paidReceipt(ctx, student, { classIds: [algebra.id, python.id], amount: '128.00' });
    const first = await verify(id);
    expect(first.statusCode).toBe(200);
    const outcome = first.json();
    expect(outcome.payment.status).toBe('verified');
    expect(outcome.payment.reviewed_by.id).toBe(admin.id);
    expect(outcome.enrollments_created.map((e: { class_id: number }) => e.class_id).sort()).toEqual([algebra.id, python.id].sort());
    expect(outcome.enrollments_already_present).toEqual([]);

    const second = await verify(id);
    expect(second.statusCode).toBe(200);
    expect(second.json().enrollments_created).toEqual(outcome.enrollments_created);
    expect(second.json().payment.reviewed_at).toBe(outcome.payment.reviewed_at);

    const enrollments = await enrollmentsOf(student);
    expect(enrollments.map((e) => e.class.id).sort()).toEqual([algebra.id, python.id].sort());
    const audit = await ctx.database.db.selectFrom('audit_log').selectAll().where('entity_type', '=', 'receipt_payment').where('entity_id', '=', String(id)).execute();
    expect(audit.map((a) => a.action)).toEqual(['payment.verify']);
    expect(audit[0]!.actor_id).toBe(admin.id);
  });

  it('20 concurrent verify calls on one payment make one enrollment per class', async () => {
    const student = await createStudent(ctx);
    const id = await paidReceipt(ctx, student, { classIds: [algebra.id, python.id], amount: '128.00' });
    const results = await Promise.all(Array.from({ length: 20 }, () => verify(id)));
    expect(results.map((r) => r.statusCode)).toEqual(Array(20).fill(200));
    for (const r of results) expect(r.json().enrollments_created).toHaveLength(2);
    const rows = await ctx.database.db.selectFrom('enrollments').selectAll().where('student_id', '=', student.id).execute();
    expect(rows).toHaveLength(2);
    const audits = await ctx.database.db.selectFrom('audit_log').select('id').where('action', '=', 'payment.verify').where('entity_id', '=', String(id)).execute();
    expect(audits).toHaveLength(1);
  });

  it('two payments for the same class, verified concurrently, make one enrollment', async () => {
    const student = await createStudent(ctx);
    const a = await paidReceipt(ctx, student, { classIds: [algebra.id] });
    const b = await paidReceipt(ctx, student, { classIds: [algebra.id, python.id], amount: '128.00' });
    const [ra, rb] = await Promise.all([verify(a), verify(b)]);
    expect([ra.statusCode, rb.statusCode]).toEqual([200, 200]);
    const enrollments = await enrollmentsOf(student);
    expect(enrollments.filter((e) => e.class.id === algebra.id)).toHaveLength(1);
    expect(enrollments.filter((e) => e.class.id === python.id)).toHaveLength(1);
    // Whichever committed second reports the algebra enrollment as already present.
    const present = [...ra.json().enrollments_already_present, ...rb.json().enrollments_already_present];
    expect(present.map((e: { class_id: number }) => e.class_id)).toEqual([algebra.id]);
  });

  it('reject then verify answers 409; verify then reject answers 409', async () => {
    const student = await createStudent(ctx);
    const id = await paidReceipt(ctx, student, { classIds: [algebra.id] });
    const rejected = await reject(id);
    expect(rejected.statusCode).toBe(200);
    expect(rejected.json()).toMatchObject({ status: 'rejected', rejection_reason: 'The transfer never arrived' });
    const res = await verify(id);
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('payment_not_pending');
    expect(await enrollmentsOf(student)).toEqual([]);

    const other = await paidReceipt(ctx, (await createStudent(ctx)), { classIds: [python.id], amount: '79' });
    expect((await verify(other)).statusCode).toBe(200);
    expect((await reject(other)).statusCode).toBe(409);
  });

  it('requires a reason to reject, and shows it to the student', async () => {
    const student = await createStudent(ctx);
    const id = await paidReceipt(ctx, student, { classIds: [algebra.id] });
    for (const reason of ['', '   ', 42]) {
      const res = await reject(id, reason);
      expect(res.statusCode).toBe(400);
      expect(res.json().details[0].field).toBe('body.reason');
    }
    await reject(id, 'Amount does not match');
    const mine = await ctx.app.inject({ url: `/students/receipt-payments/${id}/`, headers: student.auth });
    expect(mine.json()).toMatchObject({ status: 'rejected', rejection_reason: 'Amount does not match' });
  });

  it('answers 404 for a payment that does not exist', async () => {
    const res = await verify(987_654);
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('not_found');
  });
});

describe('who sees what', () => {
  it("a student cannot read another student's payment or receipt file (404)", async () => {
    const a = await createStudent(ctx);
    const b = await createStudent(ctx);
    const id = await paidReceipt(ctx, a, { classIds: [algebra.id] });
    for (const url of [`/students/receipt-payments/${id}/`, `/students/receipt-payments/${id}/receipt/`]) {
      const res = await ctx.app.inject({ url, headers: b.auth });
      expect(res.statusCode, url).toBe(404);
      expect(res.json().code).toBe('not_found');
    }
    const list = await ctx.app.inject({ url: '/students/receipt-payments/', headers: b.auth });
    expect(list.json().results.map((p: { id: number }) => p.id)).not.toContain(id);
    expect((await ctx.app.inject({ url: `/students/receipt-payments/${id}/receipt/`, headers: a.auth })).statusCode).toBe(200);
    expect((await ctx.app.inject({ url: `/edu_admin/receipt-payments/${id}/receipt/`, headers: admin.auth })).statusCode).toBe(200);
  });

  it('lists payments by status for admins, pending oldest first, with paging', async () => {
    const student = await createStudent(ctx);
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(await paidReceipt(ctx, student, { classIds: [algebra.id] }));
    const page1 = (await ctx.app.inject({ url: `/edu_admin/receipt-payments/?status=pending&student=${student.id}&page_size=2`, headers: admin.auth })).json();
    expect(page1.count).toBe(3);
    expect(page1.results.map((p: { id: number }) => p.id)).toEqual(ids.slice(0, 2));
    expect(page1.next).toContain('page=2');
    const page2 = (await ctx.app.inject({ url: new URL(page1.next).pathname + new URL(page1.next).search, headers: admin.auth })).json();
    expect(page2.results.map((p: { id: number }) => p.id)).toEqual([ids[2]]);
    expect(page2.next).toBeNull();
    const bad = await ctx.app.inject({ url: '/edu_admin/receipt-payments/?status=lost', headers: admin.auth });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details[0].field).toMatch(/^querystring/);
  });
});
