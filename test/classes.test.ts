import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from './support/context.js';
import { createAdmin, createClass, createStudent, paidReceipt, type TestUser } from './support/factories.js';

let ctx: TestContext;
let admin: TestUser;
beforeAll(async () => {
  ctx = await createTestContext();
  admin = await createAdmin(ctx);
});
afterAll(() => ctx.close());

const req = (method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: object, user = admin) =>
  ctx.app.inject({ method, url, headers: user.auth, ...(payload ? { payload } : {}) });

describe('admin classes', () => {
  it('creates a class (201 with its id) and reads it back', async () => {
    const res = await req('POST', '/edu_admin/classes/', { title: 'Geometry', description: 'Shapes', price: 19.5, currency: 'eur', capacity: 30 });
    expect(res.statusCode).toBe(201);
    const created = res.json();
    expect(created).toMatchObject({ title: 'Geometry', price: '19.50', currency: 'EUR', capacity: 30, is_active: true, enrolled_count: 0, seats_left: 30, webinars: [] });
    const got = await req('GET', `/edu_admin/classes/${created.id}/`);
    expect(got.json()).toEqual(created);
    const audit = await ctx.database.db.selectFrom('audit_log').selectAll().where('action', '=', 'class.create').where('entity_id', '=', String(created.id)).execute();
    expect(audit).toHaveLength(1);
  });

  it.each([
    [{ price: '12.345' }, 'body.price'],
    [{ price: -1 }, 'body.price'],
    [{ price: true }, 'body.price'],
    [{ currency: 'EURO' }, 'body.currency'],
    [{ title: '' }, 'body.title'],
    [{ title: 5 }, 'body.title'],
    [{ capacity: 0 }, 'body.capacity'],
    [{ capacity: 2.5 }, 'body.capacity'],
    [{ description: ['x'] }, 'body.description'],
  ])('refuses %j', async (override, field) => {
    const res = await req('POST', '/edu_admin/classes/', { title: 'T', price: '10', currency: 'USD', ...override });
    expect(res.statusCode).toBe(400);
    expect(res.json().details.map((d: { field: string }) => d.field)).toContain(field);
  });

  it('updates with PATCH (partial) and PUT (whole), and 404s an unknown class', async () => {
    const c = await createClass(ctx, admin);
    const patched = await req('PATCH', `/edu_admin/classes/${c.id}/`, { price: '55', is_active: false });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ price: '55.00', is_active: false, title: c.title });
    const put = await req('PUT', `/edu_admin/classes/${c.id}/`, { title: 'Renamed', price: '1.00', currency: 'GBP' });
    expect(put.json()).toMatchObject({ title: 'Renamed', price: '1.00', currency: 'GBP' });
    expect((await req('PATCH', `/edu_admin/classes/${c.id}/`, {})).statusCode).toBe(400);
    expect((await req('PATCH', '/edu_admin/classes/424242/', { title: 'x' })).statusCode).toBe(404);
  });

  it('searches students by name, email or username', async () => {
    const s = await createStudent(ctx);
    const res = await req('GET', `/edu_admin/students/?q=${encodeURIComponent(s.username.toUpperCase())}`);
    expect(res.json().results.map((u: { id: number }) => u.id)).toEqual([s.id]);
    const byPercent = await req('GET', '/edu_admin/students/?q=%25');
    expect(byPercent.json().count).toBe(0);
  });
});

describe('student catalog and enrollments', () => {
  it('shows active classes only, marks enrolled ones, and hides Zoom ids', async () => {
    const student = await createStudent(ctx);
    const open = await createClass(ctx, admin, { price: '10' });
    const closed = await createClass(ctx, admin, { is_active: false });
    const zoomWebinar = ctx.zoom.createWebinar({ topic: 'Live', approval_type: 1 });
    expect((await req('POST', `/edu_admin/classes/${open.id}/webinars/`, { zoom_webinar_id: String(zoomWebinar.id) })).statusCode).toBe(201);
    const payment = await paidReceipt(ctx, student, { classIds: [open.id], amount: '10' });
    await req('POST', `/edu_admin/receipt-payments/${payment}/verify/`);

    const catalog = (await ctx.app.inject({ url: '/students/classes/?page_size=100', headers: student.auth })).json();
    const ids = catalog.results.map((c: { id: number }) => c.id);
    expect(ids).toContain(open.id);
    expect(ids).not.toContain(closed.id);
    const entry = catalog.results.find((c: { id: number }) => c.id === open.id);
    expect(entry).toMatchObject({ is_enrolled: true, webinars: [{ topic: 'Live' }] });
    expect(JSON.stringify(catalog)).not.toContain(String(zoomWebinar.id));
    expect((await ctx.app.inject({ url: `/students/classes/${closed.id}/`, headers: student.auth })).statusCode).toBe(404);

    const enrollments = (await ctx.app.inject({ url: '/students/enrollments/', headers: student.auth })).json();
    expect(enrollments).toHaveLength(1);
    expect(enrollments[0]).toMatchObject({ status: 'active', payment_id: payment, class: { id: open.id }, webinars: [{ topic: 'Live', registration: { status: 'queued', join_url: null } }] });

    const count = await ctx.app.inject({ url: `/edu_admin/classes/${open.id}/` , headers: admin.auth });
    expect(count.json().enrolled_count).toBe(1);
  });
});
