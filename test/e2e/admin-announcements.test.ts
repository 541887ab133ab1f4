import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../support/context.js';
import { createAdmin, createClass, createStudent, paidReceipt, type TestUser } from '../support/factories.js';
import { waitFor } from '../support/wait.js';
import { launchChromium, openPage, screenshot, type WatchedPage } from './browser.js';

/** Announcements reaching a student's open page live, and the email delivery log with Retry, in headless Chromium. */

let ctx: TestContext;
let baseUrl: string;
let browser: Browser;
let admin: TestUser;
let pia: TestUser;
let bo: TestUser;
const opened: WatchedPage[] = [];
const TITLE = 'Lab moved to Thursday';

async function enroll(student: TestUser, classId: number) {
  const payment = await paidReceipt(ctx, student, { classIds: [classId], amount: '30.00' });
  expect((await ctx.app.inject({ method: 'POST', url: `/edu_admin/receipt-payments/${payment}/verify/`, headers: admin.auth })).statusCode).toBe(200);
}

beforeAll(async () => {
  ctx = await createTestContext({ workers: true });
  admin = await createAdmin(ctx);
  baseUrl = await ctx.listen();
  const physics = await createClass(ctx, admin, { title: 'Physics', price: '30.00' });
  const biology = await createClass(ctx, admin, { title: 'Biology', price: '30.00' });
  pia = await createStudent(ctx);
  bo = await createStudent(ctx);
  await enroll(pia, physics.id);
  await enroll(bo, biology.id);
  browser = await launchChromium();
});

afterEach(async ({ task }) => {
  const failed = task.result?.state === 'fail';
  for (const [i, watched] of opened.splice(0).entries()) {
    if (failed) await screenshot(watched.page, `failed-admin-announcements-${task.name.slice(0, 40).replace(/\W+/g, '-')}-${i}`).catch(() => {});
    await watched.context.close();
  }
});

afterAll(async () => {
  await browser?.close();
  await ctx?.close();
});

async function open() {
  const watched = await openPage(browser, baseUrl);
  opened.push(watched);
  return watched;
}

async function signIn(page: Page, user: TestUser) {
  await page.goto('/signin');
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function shot(page: Page, name: string) {
  await page.evaluate('window.scrollTo(0, 0)');
  await screenshot(page, name);
}

const notices = (userId: number) => ctx.database.db.selectFrom('notifications').select(['id', 'title']).where('user_id', '=', userId).where('type', '=', 'announcement').execute();

describe('announcements', () => {
  it('an announcement to a class reaches its student’s open page live, once for a double click, and nobody else', async () => {
    // Pia reads her notifications.
    const student = await open();
    await signIn(student.page, pia);
    await student.page.waitForURL('**/classes');
    await student.page.goto('/notifications');
    await student.page.getByRole('heading', { name: 'Notifications', level: 1 }).waitFor();
    await student.page.getByText('Class Enrollment Confirmed').first().waitFor();

    const { page, problems } = await open();
    await signIn(page, admin);
    await page.waitForURL('**/admin/receipts');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Announcements' }).click();
    await page.getByRole('button', { name: 'Send announcement' }).click();
    await page.getByText('Give the announcement a title.').waitFor();

    await page.getByLabel('To').selectOption({ label: 'Students of Physics (1)' });
    await page.getByLabel('Title').fill(TITLE);
    await page.getByLabel('Message').fill('This week the lab session is on Thursday at 18:00, same Zoom link.');
    await page.getByLabel('By email').check();
    await page.getByRole('button', { name: 'Send announcement' }).dblclick();
    await page.getByText(`Sent “${TITLE}” to the students of Physics: 1 student, 1 email queued.`).waitFor();
    // The form is ready for the next one.
    expect(await page.getByLabel('Title').inputValue()).toBe('');
    await shot(page, '24-admin-announcements');

    // Pia sees it arrive without reloading: at the top of her list, and in the note.
    await student.page.locator('.notification').first().getByText(TITLE).waitFor();
    await student.page.getByRole('status').getByText(TITLE).waitFor();
    await shot(student.page, '25-student-announcement-live');

    expect(await ctx.database.db.selectFrom('broadcasts').select('id').execute()).toHaveLength(1);
    expect((await notices(pia.id)).map((n) => n.title)).toEqual([TITLE]);
    expect(await notices(bo.id)).toEqual([]);
    expect(problems).toEqual([]);
    expect(student.problems).toEqual([]);
  });

  it('the email log shows a failed email with its error, and Retry sends it again', async () => {
    // The announcement's email went out; then pretend the mail server had refused it.
    const delivery = () => ctx.database.db.selectFrom('notification_deliveries as d').innerJoin('notifications as n', 'n.id', 'd.notification_id').select(['d.id', 'd.status']).where('n.title', '=', TITLE).executeTakeFirst();
    await waitFor(async () => (await delivery())?.status === 'sent', { timeoutMs: 15_000, what: 'the announcement email sent' });
    const { id } = (await delivery())!;
    await ctx.database.db
      .updateTable('notification_deliveries')
      .set({ status: 'failed', attempts: 5, last_error: `550 5.1.1 <${pia.email}>: mailbox unavailable`, sent_at: null })
      .where('id', '=', id)
      .execute();

    const { page, problems } = await open();
    await signIn(page, admin);
    await page.waitForURL('**/admin/receipts');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Email log' }).click();
    await page.getByRole('row', { name: new RegExp(pia.email) }).first().waitFor();
    await page.getByRole('navigation', { name: 'Filter by status' }).getByRole('button', { name: 'Failed' }).click();
    const row = page.getByRole('row', { name: new RegExp(TITLE) });
    await row.getByText(`550 5.1.1 <${pia.email}>: mailbox unavailable`).waitFor();
    await row.getByText('failed', { exact: true }).waitFor();
    await shot(page, '26-admin-email-log');

    await row.getByRole('button', { name: 'Retry' }).click();
    await page.getByText(`“${TITLE}” to ${pia.email} is queued to be sent again.`).waitFor();
    await waitFor(async () => (await delivery())?.status === 'sent', { timeoutMs: 15_000, what: 'the email sent again' });
    // The failed list empties by itself once it is sent; the whole log shows it sent.
    await page.getByText('No failed emails').waitFor();
    await page.getByRole('navigation', { name: 'Filter by status' }).getByRole('button', { name: 'Sent' }).click();
    await page.getByRole('row', { name: new RegExp(TITLE) }).getByText('sent', { exact: true }).waitFor();
    expect(problems).toEqual([]);
  });
});
