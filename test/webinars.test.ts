import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from './support/context.js';
import { createAdmin, createClass, type TestUser } from './support/factories.js';

let ctx: TestContext;
let admin: TestUser;
let classId: number;

beforeAll(async () => {
  ctx = await createTestContext();
  admin = await createAdmin(ctx);
  classId = (await createClass(ctx, admin)).id;
});
afterAll(() => ctx.close());

const SEED_QUESTIONS = {
  questions: [{ field_name: 'last_name' as const, required: true }],
  custom_questions: [
    { title: 'Serial number', type: 'short' as const, required: true },
    { title: 'Secret number', type: 'short' as const, required: true },
  ],
};

const inTwoDays = () => new Date(Date.now() + 2 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
const link = (body: object, id = classId) => ctx.app.inject({ method: 'POST', url: `/edu_admin/classes/${id}/webinars/`, headers: admin.auth, payload: body });
const req = (method: 'GET' | 'PUT' | 'POST', url: string, payload?: object) => ctx.app.inject({ method, url, headers: admin.auth, ...(payload ? { payload } : {}) });

describe('linking a Zoom webinar', () => {
  it('fetches topic, start time, approval type and questions from Zoom', async () => {
    const start = inTwoDays();
    const zoomWebinar = ctx.zoom.createWebinar({ topic: 'Quadratics live', start_time: start, duration: 90, timezone: 'Europe/Paris', approval_type: 1, questions: SEED_QUESTIONS });
    const res = await link({ zoom_webinar_id: String(zoomWebinar.id) });
    expect(res.statusCode).toBe(201);
    const webinar = res.json();
    expect(webinar).toMatchObject({
      class_id: classId,
      zoom_webinar_id: String(zoomWebinar.id),
      topic: 'Quadratics live',
      start_time: new Date(start).toISOString(),
      duration: 90,
      timezone: 'Europe/Paris',
      approval_type: 1,
      webinar_type: 5,
      registration_ready: true,
      unanswered_questions: [],
      problems: [],
    });
    expect(webinar.questions.map((q: { key: string }) => q.key)).toEqual(['last_name', 'Serial number', 'Secret number']);
    expect(JSON.stringify(webinar)).not.toContain('start_url');
    expect((await link({ zoom_webinar_id: String(zoomWebinar.id) })).json().code).toBe('webinar_already_linked');
  });

  it('flags required questions that cannot be answered, and clears the flag once mapped', async () => {
    const zoomWebinar = ctx.zoom.createWebinar({
      topic: 'With extra questions',
      approval_type: 1,
      questions: {
        questions: [{ field_name: 'org', required: true }],
        custom_questions: [...SEED_QUESTIONS.custom_questions, { title: 'Level', type: 'single_radio', required: true, answers: ['Beginner', 'Advanced'] }],
      },
    });
    const res = await link({ zoom_webinar_id: String(zoomWebinar.id) });
    expect(res.statusCode).toBe(201);
    const webinar = res.json();
    expect(webinar.registration_ready).toBe(false);
    expect(webinar.unanswered_questions).toEqual(['org', 'Level']);
    expect(webinar.problems[0]).toContain('"org", "Level"');

    const mappingUrl = `/edu_admin/webinars/${webinar.id}/question-mapping/`;
    const before = (await req('GET', mappingUrl)).json();
    expect(before.unanswered).toEqual(['org', 'Level']);
    expect(before.answers).toMatchObject({ 'Serial number': { from: 'username' }, 'Secret number': { from: 'payment_id' } });

    const badChoice = await req('PUT', mappingUrl, { answers: { Level: { fixed: 'Expert' } } });
    expect(badChoice.statusCode).toBe(400);
    expect(badChoice.json().details).toEqual([{ field: 'body.answers.Level', message: expect.stringContaining('"Beginner", "Advanced"') }]);
    const unknown = await req('PUT', mappingUrl, { answers: { Colour: { fixed: 'blue' } } });
    expect(unknown.statusCode).toBe(400);
    const badSource = await req('PUT', mappingUrl, { answers: { org: { from: 'password' } } });
    expect(badSource.statusCode).toBe(400);

    const ok = await req('PUT', mappingUrl, { answers: { org: { from: 'class_title' }, Level: { fixed: 'Beginner' } } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().unanswered).toEqual([]);
    expect(ok.json().answers).toMatchObject({ org: { from: 'class_title' }, Level: { fixed: 'Beginner' }, 'Serial number': { from: 'username' } });
    expect((await req('GET', `/edu_admin/webinars/${webinar.id}/`)).json().registration_ready).toBe(true);
  });

  it("refuses a webinar without registration, one that is over, and one Zoom does not know — with Zoom's reason", async () => {
    const noRegistration = ctx.zoom.createWebinar({ topic: 'Open webinar', approval_type: 2 });
    const disabled = await link({ zoom_webinar_id: String(noRegistration.id) });
    expect(disabled.statusCode).toBe(400);
    expect(disabled.json().code).toBe('zoom_registration_disabled');

    const past = ctx.zoom.createWebinar({ topic: 'Last week', approval_type: 1, start_time: new Date(Date.now() - 7 * 86_400_000).toISOString(), duration: 60 });
    const over = await link({ zoom_webinar_id: String(past.id) });
    expect(over.statusCode).toBe(400);
    expect(over.json().code).toBe('zoom_webinar_over');

    const missing = await link({ zoom_webinar_id: '99999999999' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().code).toBe('zoom_webinar_not_found');
    expect(missing.json().message).toMatch(/not found/i);

    const rows = await ctx.database.db.selectFrom('webinars').select('zoom_webinar_id').execute();
    expect(rows.map((r) => r.zoom_webinar_id)).not.toEqual(expect.arrayContaining([String(noRegistration.id), String(past.id), '99999999999']));
  });

  it('answers 503 with Retry-After while Zoom fails, and links once it recovers', async () => {
    const zoomWebinar = ctx.zoom.createWebinar({ topic: 'Flaky', approval_type: 1 });
    ctx.zoom.injectFault({ kind: 'http_503', match: { path: '/webinars/:webinarId' }, times: 3 });
    const down = await link({ zoom_webinar_id: String(zoomWebinar.id) });
    expect(down.statusCode).toBe(503);
    expect(down.json().code).toBe('zoom_unavailable');
    expect(Number(down.headers['retry-after'])).toBeGreaterThan(0);
    ctx.zoom.clearFaults();
    expect((await link({ zoom_webinar_id: String(zoomWebinar.id) })).statusCode).toBe(201);
  });

  it('creates a webinar in Zoom with manual approval and links it', async () => {
    const res = await link({ create: { topic: 'Made in EduConnect', start_time: inTwoDays(), duration: 45 } });
    expect(res.statusCode).toBe(201);
    const webinar = res.json();
    expect(webinar).toMatchObject({ topic: 'Made in EduConnect', approval_type: 1, duration: 45 });
    const inZoom = await ctx.services.zoom.getWebinar(webinar.zoom_webinar_id);
    expect(inZoom.settings?.approval_type).toBe(1);
  });

  it('refreshes a webinar from Zoom on sync', async () => {
    const zoomWebinar = ctx.zoom.createWebinar({ topic: 'Before', approval_type: 0, questions: SEED_QUESTIONS });
    const linked = (await link({ zoom_webinar_id: String(zoomWebinar.id) })).json();
    // The host later adds a required question in Zoom.
    ctx.zoom.setQuestions(String(zoomWebinar.id), { ...SEED_QUESTIONS, questions: [...SEED_QUESTIONS.questions, { field_name: 'phone', required: true }] });
    const synced = await req('POST', `/edu_admin/webinars/${linked.id}/sync/`);
    expect(synced.statusCode).toBe(200);
    expect(synced.json().unanswered_questions).toEqual(['phone']);
    expect(synced.json().synced_at).not.toBe(linked.synced_at);
  });
});
