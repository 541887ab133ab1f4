import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../support/context.js';
import { createAdmin, createStudent, paidReceipt, type TestUser } from '../support/factories.js';
import { waitFor } from '../support/wait.js';
import { launchChromium, openPage, screenshot, type WatchedPage } from './browser.js';

/** The admin's classes, webinars and question mapping in headless Chromium, against the real server and the Zoom simulator. */

let ctx: TestContext;
let baseUrl: string;
let browser: Browser;
let admin: TestUser;
const opened: WatchedPage[] = [];

beforeAll(async () => {
  ctx = await createTestContext({ workers: true });
  admin = await createAdmin(ctx);
  baseUrl = await ctx.listen();
  browser = await launchChromium();
});

afterEach(async ({ task }) => {
  const failed = task.result?.state === 'fail';
  for (const [i, watched] of opened.splice(0).entries()) {
    if (failed) await screenshot(watched.page, `failed-admin-classes-${task.name.slice(0, 40).replace(/\W+/g, '-')}-${i}`).catch(() => {});
    await watched.context.close();
  }
});

afterAll(async () => {
  await browser?.close();
  await ctx?.close();
});

async function open(options: Parameters<typeof openPage>[2] = {}) {
  const watched = await openPage(browser, baseUrl, options);
  opened.push(watched);
  return watched;
}

/** A full-page picture from the top (a sticky header is drawn where the page is scrolled to). */
async function shot(page: Page, name: string) {
  await page.evaluate('window.scrollTo(0, 0)');
  await screenshot(page, name);
}

async function signIn(page: Page, user: TestUser) {
  await page.goto('/signin');
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

const START = new Date(Date.now() + 6 * 86_400_000);
START.setUTCHours(15, 0, 0, 0);
const CHOICE = 'How did you hear about us?';

describe('classes and webinars', () => {
  it('an admin creates a class, links a Zoom webinar, answers its unanswered questions and the webinar becomes ready', async () => {
    const zoomWebinar = ctx.zoom.createWebinar({
      topic: 'Statistics live: week 1',
      approval_type: 1,
      start_time: START.toISOString(),
      duration: 90,
      questions: {
        questions: [
          { field_name: 'last_name', required: true },
          { field_name: 'org', required: true },
        ],
        custom_questions: [
          { title: 'Serial number', type: 'short', required: true },
          { title: 'Secret number', type: 'short', required: true },
          { title: CHOICE, type: 'single_radio', required: true, answers: ['Friend', 'Search', 'Social media'] },
        ],
      },
    });

    const { page, problems } = await open();
    await signIn(page, admin);
    await page.waitForURL('**/admin/receipts');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Classes' }).click();
    await page.getByText('No classes yet').waitFor();

    // New class: the browser's own checks first, then the server creates it.
    await page.getByRole('button', { name: 'New class' }).click();
    expect(await page.evaluate('document.activeElement?.id')).toBe(await page.getByLabel('Title').getAttribute('id'));
    await page.getByRole('button', { name: 'Create class' }).click();
    await page.getByText('Give the class a title.').waitFor();
    await page.getByLabel('Title').fill('Statistics Live');
    await page.getByLabel('Description').fill('Means, spreads and tests, with real data sets.');
    await page.getByLabel('Price').fill('59.00');
    await page.getByLabel('Capacity (seats)').fill('20');
    await page.getByRole('button', { name: 'Create class' }).click();
    await page.waitForURL(/\/admin\/classes\/\d+$/);
    await page.getByText('Class created. Now link its Zoom webinar below.').waitFor();
    await page.getByRole('heading', { name: 'Statistics Live', level: 1 }).waitFor();
    const classId = Number(page.url().split('/').at(-1));

    // A wrong id: the browser says so; an unknown one: Zoom's answer, as the server words it.
    const zoomId = page.getByLabel('Zoom webinar ID');
    await zoomId.fill('123');
    await page.getByRole('button', { name: 'Link webinar' }).click();
    await page.getByText('Enter the webinar ID from Zoom: 9 to 20 digits, no spaces.').waitFor();
    await zoomId.fill('99999999999');
    await page.getByRole('button', { name: 'Link webinar' }).click();
    await page.getByRole('alert').getByText(/Zoom has no webinar 99999999999/).waitFor();

    // The real one: topic, time, approval type and the questions from the answer; what is missing in plain view.
    await zoomId.fill(String(zoomWebinar.id));
    await page.getByRole('button', { name: 'Link webinar' }).click();
    const card = page.getByRole('article', { name: 'Statistics live: week 1' });
    await card.waitFor();
    await page.getByText(/^Linked “Statistics live: week 1”, but students cannot be registered yet/).waitFor();
    await card.getByText('Not ready', { exact: true }).waitFor();
    await card.getByText('Manual approval').waitFor();
    await card.getByText(String(zoomWebinar.id)).waitFor();
    await card.getByText('Students cannot be registered for this webinar yet.').waitFor();
    const questions = card.getByRole('table', { name: 'Registration questions in Zoom' });
    expect(await questions.locator('tbody tr').count()).toBe(5);
    expect(await questions.locator('tr.row-problem th').allInnerTexts()).toEqual([expect.stringMatching(/^org\s*No answer$/), expect.stringMatching(/^How did you hear about us\?\s*No answer$/)]);
    await questions.getByText('Friend, Search, Social media').waitFor();
    await shot(page, '14-admin-class-linked');

    // The mapping: unanswered required questions are highlighted.
    await card.getByRole('link', { name: 'Fix the question mapping' }).click();
    await page.waitForURL('**/admin/webinars/*');
    await page.getByText('2 required questions have no answer:').waitFor();
    const org = page.getByRole('group', { name: /^org/ });
    const choice = page.getByRole('group', { name: /^How did you hear about us\?/ });
    expect(await org.getAttribute('class')).toContain('row-problem');
    expect(await choice.getAttribute('class')).toContain('row-problem');
    await page.getByRole('group', { name: /^Serial number/ }).getByText('Default: From: Username').waitFor();
    await shot(page, '15-admin-mapping-unanswered');

    // Meanwhile the host changes the choices in Zoom and someone syncs: this page still offers the old ones.
    ctx.zoom.setQuestions(String(zoomWebinar.id), {
      questions: [
        { field_name: 'last_name', required: true },
        { field_name: 'org', required: true },
      ],
      custom_questions: [
        { title: 'Serial number', type: 'short', required: true },
        { title: 'Secret number', type: 'short', required: true },
        { title: CHOICE, type: 'single_radio', required: true, answers: ['Friend', 'Newsletter'] },
      ],
    });
    const webinarId = Number(page.url().split('/').at(-1));
    expect((await ctx.app.inject({ method: 'POST', url: `/edu_admin/webinars/${webinarId}/sync/`, headers: admin.auth })).statusCode).toBe(200);

    await org.getByLabel('Fixed text').check();
    await org.getByLabel('Answer text').fill('EduConnect');
    await choice.getByLabel('Answer').selectOption('Search');
    await page.getByText('Every required question has an answer (once saved).').waitFor();
    await page.getByRole('button', { name: 'Save answers' }).click();
    // The server's 400 detail, beside the question it is about.
    await choice.getByText('"Search" is not one of the allowed answers: "Friend", "Newsletter"').waitFor();
    expect(await choice.getByLabel('Answer').getAttribute('aria-invalid')).toBe('true');
    await page.getByText('Not saved: one answer is refused — see the message beside the question.').waitFor();
    await shot(page, '16-admin-mapping-server-error');

    // Sync brings the new choices; the answers are given again and saved.
    await page.getByRole('button', { name: 'Sync' }).click();
    await page.getByText('Synced from Zoom: 5 questions; not ready yet.').waitFor();
    await choice.getByLabel('Answer').selectOption('Newsletter');
    await org.getByLabel('Fixed text').check();
    await org.getByLabel('Answer text').fill('EduConnect');
    await page.getByRole('button', { name: 'Save answers' }).click();
    await page.getByText('Saved. Every required question has an answer.').waitFor();
    await page.getByText('Ready for registrations').waitFor();
    expect(await page.locator('.mapping-row.row-problem').count()).toBe(0);
    await shot(page, '17-admin-mapping-ready');

    // Back on the class: the webinar is ready; the capacity is changed.
    await page.getByRole('link', { name: 'Back to the class' }).click();
    await card.getByText('Ready for registrations').waitFor();
    const capacity = page.getByLabel('Capacity (seats)');
    await capacity.fill('30');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Saved “Statistics Live”.').waitFor();
    await page.getByText('0 enrolled of 30 seats').waitFor();

    // A webinar created in Zoom from here: no questions, so ready at once.
    await page.getByLabel('Create a new webinar in Zoom (manual approval)').check();
    await page.getByLabel('Topic').fill('Statistics live: week 2');
    await page.getByRole('button', { name: 'Create in Zoom and link' }).click();
    await page.getByText('Linked “Statistics live: week 2”: ready for registrations.').waitFor();
    await page.getByRole('article', { name: 'Statistics live: week 2' }).getByText('Ready for registrations').waitFor();

    // The mapping works end to end: a paying student is registered with these answers and approved.
    const student = await createStudent(ctx);
    const payment = await paidReceipt(ctx, student, { classIds: [classId], amount: '59.00' });
    expect((await ctx.app.inject({ method: 'POST', url: `/edu_admin/receipt-payments/${payment}/verify/`, headers: admin.auth })).statusCode).toBe(200);
    await waitFor(
      async () => {
        const rows = await ctx.database.db.selectFrom('zoom_webinar_registrations').select('status').where('student_id', '=', student.id).execute();
        return rows.length === 2 && rows.every((r) => r.status === 'approved');
      },
      { timeoutMs: 15_000, what: 'both registrations approved' },
    );
    const registrant = ctx.zoom.registrants(String(zoomWebinar.id)).find((r) => r.email === student.email);
    expect(registrant?.custom_questions).toEqual(expect.arrayContaining([{ title: CHOICE, value: 'Newsletter' }]));

    // The list: seats and readiness at a glance.
    await page.getByRole('link', { name: 'All classes' }).click();
    const row = page.getByRole('row', { name: /Statistics Live/ });
    await row.getByText('2 webinars').waitFor();
    await row.getByText('1 of 30').waitFor();
    await row.getByText('Ready').waitFor();
    await shot(page, '18-admin-classes');
    expect(problems).toEqual([]);
  });

  it('fits a phone: the class page and its webinar stack, the tables become labelled blocks', async () => {
    const { page, problems } = await open({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await signIn(page, admin);
    await page.waitForURL('**/admin/receipts');
    await page.goto('/admin/classes');
    await page.getByRole('link', { name: 'Statistics Live' }).click();
    await page.getByRole('article', { name: 'Statistics live: week 1' }).waitFor();
    // Nothing is wider than the screen.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await shot(page, '19-admin-class-phone');
    expect(problems).toEqual([]);
  });
});
