import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { formatDateTime } from '../../web/src/lib/format.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { createAdmin, createClass, createStudent, paidReceipt, files, type TestUser } from '../support/factories.js';
import { launchChromium, openPage, receiptPng, screenshot, type WatchedPage } from './browser.js';

/**
 * The student's side of the web app in headless Chromium, against the real server (job workers,
 * the Zoom simulator, live SSE). Admin actions go through the API here.
 */

let ctx: TestContext;
let baseUrl: string;
let browser: Browser;
let admin: TestUser;
let algebra: { id: number; title: string; price: string };
let zoomWebinar: { id: number | string };
const opened: WatchedPage[] = [];

const future = (days: number) => new Date(Date.now() + days * 86_400_000);
const START = future(3);
START.setUTCHours(16, 0, 0, 0);
const SEED_QUESTIONS = {
  questions: [{ field_name: 'last_name' as const, required: true }],
  custom_questions: [
    { title: 'Serial number', type: 'short' as const, required: true },
    { title: 'Secret number', type: 'short' as const, required: true },
  ],
};

beforeAll(async () => {
  // Receipts over 1 MB are refused by this server, so its own refusal can be seen in the browser.
  ctx = await createTestContext({ workers: true, env: { MAX_RECEIPT_BYTES: String(1024 * 1024) } });
  admin = await createAdmin(ctx);
  baseUrl = await ctx.listen();
  algebra = await createClass(ctx, admin, { title: 'Algebra Foundations', description: 'Six live sessions on equations, functions and graphs.', price: '49.00' });
  await createClass(ctx, admin, { title: 'Intro to Python', description: 'Write real programs from the first session.', price: '79.00' });
  zoomWebinar = ctx.zoom.createWebinar({ topic: 'Algebra live: week 1', approval_type: 1, start_time: START.toISOString(), duration: 90, questions: SEED_QUESTIONS });
  const link = await ctx.app.inject({ method: 'POST', url: `/edu_admin/classes/${algebra.id}/webinars/`, headers: admin.auth, payload: { zoom_webinar_id: String(zoomWebinar.id) } });
  expect(link.statusCode).toBe(201);
  browser = await launchChromium();
});

// A failed test leaves a picture of each page it had open, and the pages close either way.
afterEach(async ({ task }) => {
  const failed = task.result?.state === 'fail';
  for (const [i, watched] of opened.splice(0).entries()) {
    if (failed) await screenshot(watched.page, `failed-${task.name.slice(0, 40).replace(/\W+/g, '-')}-${i}`).catch(() => {});
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

const bell = (page: Page, unread: number) => page.getByRole('link', { name: `Notifications, ${unread} unread`, exact: true });

async function signIn(page: Page, username: string, password: string) {
  await page.goto('/signin');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function adminPost(url: string, payload?: object) {
  const res = await ctx.app.inject({ method: 'POST', url, headers: admin.auth, ...(payload ? { payload } : {}) });
  expect([200, 201], res.body).toContain(res.statusCode);
  return res.json();
}

describe('a student in the browser', () => {
  const username = `dana${Date.now() % 100000}`;
  const password = 'a good password';

  it('signs up, pays for a class with a PNG receipt, gets the live notice when it is verified, and can join once approved', async () => {
    // A student in Tokyo: times must show in their time zone.
    const { page, problems } = await open({ timezoneId: 'Asia/Tokyo' });

    await page.goto('/');
    await page.waitForURL('**/signin');
    await screenshot(page, '01-sign-in');
    await page.getByRole('link', { name: 'Create an account' }).click();

    // The server's field errors appear beside the fields.
    await page.getByLabel('Username').fill('x y');
    await page.getByLabel('Email').fill('not-an-email');
    await page.getByLabel('Password').fill('short');
    await page.getByLabel('First name').fill('Dana');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('Enter an email address like name@example.org.').waitFor();
    await page.getByText('Use 3–150 letters, digits and _ . + - (no spaces).').waitFor();
    await screenshot(page, '02-sign-up-errors');

    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Email').fill(`${username}@example.org`);
    await page.getByLabel('Password').fill(password);
    await page.getByLabel('Last name').fill('Ito');
    await page.getByRole('button', { name: 'Create account' }).click();

    // The catalog, with the webinar's start in Tokyo time.
    await page.waitForURL('**/classes');
    await page.getByRole('heading', { name: 'Algebra Foundations' }).waitFor();
    await bell(page, 0).waitFor();
    expect(await page.getByText('(Asia/Tokyo)').count()).toBe(1);
    const tokyo = formatDateTime(START.toISOString(), { timeZone: 'Asia/Tokyo', locale: 'en-US' });
    await page.getByText(tokyo).waitFor();
    await screenshot(page, '03-classes');

    // Pay for two classes at once: the amount is prefilled with the sum.
    await page.getByRole('checkbox', { name: 'Select Algebra Foundations' }).check();
    await page.getByRole('checkbox', { name: 'Select Intro to Python' }).check();
    await page.getByRole('region', { name: 'Selected classes' }).getByText('$128.00').waitFor();
    await page.getByRole('button', { name: 'Pay for selected' }).click();
    await page.waitForURL('**/pay?classes=*');
    expect(await page.getByLabel('Amount').inputValue()).toBe('128.00');
    await page.goBack();

    // Pay for Algebra alone.
    await page.getByRole('link', { name: 'Pay for Algebra Foundations' }).click();
    await page.getByRole('heading', { name: 'Pay for classes' }).waitFor();
    expect(await page.getByLabel('Amount').inputValue()).toBe('49.00');
    expect(await page.getByLabel('Currency').inputValue()).toBe('USD');

    // Checked in the browser: a text file named .png never leaves it.
    const requests: string[] = [];
    page.on('request', (r) => r.method() === 'POST' && requests.push(r.url()));
    await page.getByLabel('Receipt', { exact: true }).setInputFiles({ name: 'receipt.png', mimeType: 'image/png', buffer: files.text });
    await page.getByText('“receipt.png” is not a JPEG, PNG, WebP or PDF file').waitFor();

    // Refused by the server (over its 1 MB limit, under the browser's 10 MB): its message is shown.
    const png = await receiptPng(browser, 'TX-2026-0001', '$49.00');
    const huge = Buffer.concat([png, Buffer.alloc(1024 * 1024, 7)]);
    await page.getByLabel('Receipt', { exact: true }).setInputFiles({ name: 'huge.png', mimeType: 'image/png', buffer: huge });
    await page.getByText('huge.png').waitFor();
    await page.getByLabel('Bank reference').fill('TX-2026-0001');
    await page.getByRole('button', { name: 'Submit payment' }).click();
    await page.getByText('The receipt is larger than 1 MB').waitFor();
    await page.getByText('One field needs your attention: see below.').waitFor();
    expect(requests.filter((u) => u.includes('/students/receipt-payments/'))).toHaveLength(1);

    // A real PNG: accepted, and the payment is waiting for review.
    await page.getByLabel('Receipt', { exact: true }).setInputFiles({ name: 'bank-transfer.png', mimeType: 'image/png', buffer: png });
    await page.getByRole('img', { name: 'Preview of the chosen receipt' }).waitFor();
    await screenshot(page, '04-pay');
    await page.getByRole('button', { name: 'Submit payment' }).click();
    await page.waitForURL('**/payments');
    await page.getByText('Receipt sent.').waitFor();
    await page.getByText('Waiting for review').waitFor();

    // An admin, in a second browser context, verifies it from the queue; the student's bell goes
    // from 0 to 1 in this very page, without a reload.
    await page.evaluate('window.__sameDocument = true');
    // Every name the bell takes from now on, as the page shows it (the pipeline may add more notices quickly).
    await page.evaluate(`(() => {
      const bell = document.querySelector('a.bell');
      window.__bellLabels = [bell.getAttribute('aria-label')];
      new MutationObserver(() => window.__bellLabels.push(bell.getAttribute('aria-label'))).observe(bell, { attributes: true, attributeFilter: ['aria-label'] });
    })()`);
    const adminPage = (await open()).page;
    await signIn(adminPage, admin.username, admin.password);
    await adminPage.waitForURL('**/admin/receipts');
    const queue = adminPage.getByRole('list', { name: 'Pending payments' });
    await queue.getByRole('button', { name: /Dana Ito/ }).waitFor();
    await adminPage.getByRole('img', { name: 'Receipt uploaded by the student: bank-transfer.png' }).waitFor();
    await adminPage.getByText('The amount matches the class prices.').waitFor();
    await screenshot(adminPage, '11-admin-receipts');
    await adminPage.getByRole('button', { name: 'Verify' }).click();
    await adminPage.getByText(/Verified payment #\d+\. Dana Ito is now enrolled in Algebra Foundations\./).waitFor();
    await adminPage.getByText('No receipts are waiting').waitFor();
    await page.getByRole('link', { name: /Notifications, [1-3] unread/ }).waitFor();
    await page.getByText('Verified', { exact: true }).waitFor();
    expect(await page.evaluate('window.__sameDocument === true')).toBe(true);
    const labels = await page.evaluate<string[]>('window.__bellLabels');
    expect(labels.slice(0, 2)).toEqual(['Notifications, 0 unread', 'Notifications, 1 unread']);
    await screenshot(page, '05-payments-verified');

    // My classes: the steps, then Join once the simulator approves the registration.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My classes' }).click();
    await page.getByRole('heading', { name: 'Algebra Foundations' }).waitFor();
    const join = page.getByRole('link', { name: 'Join' });
    await join.waitFor({ timeout: 30_000 });
    expect(await join.getAttribute('href')).toContain('/w/');
    expect(await page.evaluate('window.__sameDocument === true')).toBe(true);
    await page.getByRole('list', { name: 'Registration for Algebra live: week 1' }).getByText('Approved (done)').waitFor();
    await page.getByText(tokyo).waitFor();

    // Add to calendar: an .ics file for the webinar.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /Add .* to calendar/ }).click()]);
    expect(download.suggestedFilename()).toBe('algebra-live-week-1.ics');
    const ics = await (await download.createReadStream()).toArray();
    expect(Buffer.concat(ics).toString()).toContain(`DTSTART:${START.toISOString().replace(/[-:]/g, '').replace('.000', '')}`);
    await screenshot(page, '06-my-classes');

    // Notifications: the three notices (enrollment, registration, approval), newest first; mark read.
    await bell(page, 3).waitFor({ timeout: 15_000 });
    await page.getByRole('link', { name: /Notifications, \d+ unread/ }).click();
    await page.getByRole('heading', { name: 'Notifications', level: 1 }).waitFor();
    const titles = page.locator('.notification-title');
    await page.getByRole('heading', { name: 'Unread: Webinar Approved - Ready to Join!' }).waitFor();
    expect(await titles.count()).toBe(3);
    await page.getByText('just now').first().waitFor();
    await screenshot(page, '07-notifications');
    await page.getByRole('button', { name: 'Mark “Class Enrollment Confirmed” read' }).click();
    await bell(page, 2).waitFor();
    await page.getByRole('button', { name: 'Mark all read' }).click();
    await bell(page, 0).waitFor();
    expect(await page.getByRole('button', { name: /^Mark “/ }).count()).toBe(0);

    // Preferences: essential kinds are locked on.
    await page.getByRole('link', { name: 'Preferences' }).click();
    const locked = page.getByRole('checkbox', { name: 'Class Enrollment Confirmed: In the app (always on)' });
    await locked.waitFor();
    expect(await locked.isDisabled()).toBe(true);
    const email = page.getByRole('checkbox', { name: 'Webinar Registration Successful: Email' });
    expect(await email.isChecked()).toBe(true);
    await email.uncheck();
    await page.getByText('Saved: Webinar Registration Successful — email off.').waitFor();
    await screenshot(page, '08-preferences');

    // The session survives a reload.
    await page.goto('/my-classes');
    await page.reload();
    await page.getByRole('link', { name: 'Join' }).waitFor();
    expect(problems).toEqual([]);
  });

  it('refreshes an expired access token quietly, and ends the session when the refresh is refused', async () => {
    const { page, problems } = await open();
    await signIn(page, username, password);
    await page.waitForURL('**/classes');
    // Spoil the access token (as if it expired): the next request is refused, refreshed and retried.
    await page.evaluate(`(() => { const s = JSON.parse(localStorage.getItem('educonnect.session')); s.access = s.access.slice(0, -4) + 'AAAA'; localStorage.setItem('educonnect.session', JSON.stringify(s)); })()`);
    const refreshed = page.waitForResponse((r) => r.url().endsWith('/auth/token/refresh/') && r.status() === 200);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My classes' }).click();
    await refreshed;
    await page.getByRole('heading', { name: 'Algebra Foundations' }).waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);

    // Now spoil both: the app says the session ended and shows the sign-in form.
    await page.evaluate(`localStorage.setItem('educonnect.session', JSON.stringify({ access: 'x.y.z', refresh: 'x.y.z' }))`);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Payments' }).click();
    await page.getByText('Your session has ended. Please sign in again.').waitFor();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(page.url()).toContain('/signin?next=%2Fpayments');
    await signIn(page, username, password);
    await page.waitForURL('**/classes');
    expect(problems).toEqual([]);
  });

  it("shows a rejected receipt's reason on the payment history, live", async () => {
    const student = await createStudent(ctx);
    const paymentId = await paidReceipt(ctx, student, { classIds: [algebra.id], amount: '4.90', reference: 'TX-SHORT' });
    const { page, problems } = await open({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await signIn(page, student.username, student.password);
    await page.waitForURL('**/classes');
    await screenshot(page, '09-classes-phone');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Payments' }).click();
    await page.getByText('Waiting for review').waitFor();
    await bell(page, 0).waitFor();

    await adminPost(`/edu_admin/receipt-payments/${paymentId}/reject/`, { reason: 'The receipt shows $4.90, the class costs $49.00.' });
    await bell(page, 1).waitFor();
    await page.getByText('Rejected', { exact: true }).waitFor();
    await page.getByText('The receipt shows $4.90, the class costs $49.00.').waitFor();
    await screenshot(page, '10-payments-rejected-phone');
    expect(problems).toEqual([]);
  });

  it('shows clear empty states to a new student', async () => {
    const student = await createStudent(ctx);
    const { page, problems } = await open();
    await signIn(page, student.username, student.password);
    await page.waitForURL('**/classes');
    await page.goto('/my-classes');
    await page.getByText('You are not enrolled in any class yet').waitFor();
    await page.goto('/notifications');
    await page.getByText('No notifications yet').waitFor();
    await page.goto('/payments');
    await page.getByText('No payments yet').waitFor();
    await page.goto('/no/such/page');
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    expect(problems).toEqual([]);
  });

  it('scrolls through every notification (cursor pages) and gets a new one live at the top', async () => {
    // 25 announcements to the Algebra class (only Dana is enrolled): with her 3 notices, two pages.
    for (let i = 1; i <= 25; i++) await adminPost('/edu_admin/notifications/broadcast/', { class_id: algebra.id, title: `Announcement ${i}`, message: `Week ${i}: bring a notebook.`, channels: ['in_app'] });
    const { page, problems } = await open();
    await signIn(page, username, password);
    await page.waitForURL('**/classes');
    await page.getByRole('link', { name: 'Notifications, 25 unread', exact: true }).click();
    const items = page.locator('.notification');
    await page.getByRole('heading', { name: 'Unread: Announcement 25' }).waitFor();
    expect(await items.count()).toBe(20);
    // Scrolling to the end loads the next page by itself.
    await page.getByRole('button', { name: 'Load more' }).scrollIntoViewIfNeeded();
    await page.getByText('That is everything.').waitFor();
    expect(await items.count()).toBe(28);
    expect(await items.last().innerText()).toContain('Class Enrollment Confirmed');

    await adminPost('/edu_admin/notifications/broadcast/', { class_id: algebra.id, title: 'Room change', message: 'Week 2 moves to Thursday.', channels: ['in_app'] });
    await page.getByRole('link', { name: 'Notifications, 26 unread', exact: true }).waitFor();
    await page.getByRole('heading', { name: 'Unread: Room change' }).waitFor();
    expect(await items.first().innerText()).toContain('Room change');
    expect(await items.count()).toBe(29);
    expect(problems).toEqual([]);
  });
});

describe('the server', () => {
  it('serves the app for page addresses and keeps JSON 404s for the API and other requests', async () => {
    const html = await fetch(`${baseUrl}/my-classes`, { headers: { accept: 'text/html' } });
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toContain('text/html');
    expect(html.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await html.text()).toContain('<div id="root">');
    const api = await fetch(`${baseUrl}/students/nope/`, { headers: { accept: 'text/html' } });
    expect(api.status).toBe(404);
    expect(((await api.json()) as { code: string }).code).toBe('not_found');
    const asset = await fetch(`${baseUrl}/nope.js`);
    expect(asset.status).toBe(404);
    expect(((await asset.json()) as { code: string }).code).toBe('not_found');
  });
});
