import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { createTestContext, type TestContext } from './support/context.js';
import { createStudent } from './support/factories.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

describe('HTTP surface', () => {
  it('serves every path with and without the trailing slash', async () => {
    const student = await createStudent(ctx);
    for (const url of ['/students/classes/', '/students/classes', '/auth/me/', '/auth/me']) {
      expect((await ctx.app.inject({ url, headers: student.auth })).statusCode, url).toBe(200);
    }
    const login = await ctx.app.inject({ method: 'POST', url: '/auth/token', payload: { username: student.username, password: student.password } });
    expect(login.statusCode).toBe(200);
  });

  it('answers unknown routes with 404 in the error shape', async () => {
    const res = await ctx.app.inject({ url: '/no/such/thing' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ code: 'not_found', message: 'No route for GET /no/such/thing', request_id: res.headers['x-request-id'] });
  });

  it('reports health and readiness', async () => {
    expect((await ctx.app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await ctx.app.inject({ url: '/readyz' })).json()).toEqual({ status: 'ok', database: ctx.database.kind });
  });

  it('publishes OpenAPI with the seed paths and the Error schema', async () => {
    const spec = (await ctx.app.inject({ url: '/docs/json' })).json();
    expect(spec.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/edu_admin/receipt-payments/{receipt_id}/verify/', '/students/receipt-payments/', '/auth/token/']));
    expect(spec.components.schemas.Error.required).toEqual(expect.arrayContaining(['code', 'message', 'request_id']));
    expect((await ctx.app.inject({ url: '/docs/' })).statusCode).toBe(200);
  });

  it('echoes a caller-supplied request id', async () => {
    const res = await ctx.app.inject({ url: '/healthz', headers: { 'x-request-id': 'trace-123' } });
    expect(res.headers['x-request-id']).toBe('trace-123');
  });
});

describe('5xx', () => {
  it('hides internals behind a generic message with the request id', async () => {
    // A second app on the same database, with a route that fails the way a bug would.
    const app = await buildApp({ config: ctx.config, database: ctx.database, services: ctx.services, hub: ctx.hub });
    app.get('/boom', async () => {
      throw new Error('secret detail: password=hunter2 at /srv/app.ts:42');
    });
    try {
      const res = await app.inject({ url: '/boom' });
      expect(res.statusCode).toBe(500);
      expect(res.json()).toEqual({ code: 'internal_error', message: expect.any(String), request_id: expect.any(String) });
      expect(res.body).not.toContain('hunter2');
    } finally {
      await app.close();
    }
  });
});
