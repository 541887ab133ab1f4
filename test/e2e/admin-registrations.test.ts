import { readFile } from 'node:fs/promises';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../support/context.js';
import { createAdmin, createClass, createStudent, paidReceipt, type TestUser } from '../support/factories.js';
import { waitFor } from '../support/wait.js';
import { launchChromium, openPage, screenshot, type WatchedPage } from './browser.js';

/**
 * The registrations dashboard, the reports and a refund in headless Chromium, against the real
 * server: job workers register and approve in the Zoom simulator, failures notify the admin live.
 */

let ctx: TestContext;
let baseUrl: string;
let browser: Browser;
let admin: TestUser;
let chemistry: { id: number; title: string };
let zoomWebinarId: string;
let webinarId: number;
const students: TestUser[] = [];
const opened: WatchedPage[] = [];
const TOPIC = 'Chemistry live: titrations';

const registration = (studentId: number) => ctx.database.db.selectFrom('zoom_webinar_registrations').selectAll().where('student_id', '=', studentId).where('webinar_id', '=', webinarId).executeTakeFirst();
const settledAs = (studentId: number, status: string) => waitFor(async () => (await registration(studentId))?.status === status, { timeoutMs: 15_000, what: `registration of ${studentId} ${status}` });

async function enroll(student: TestUser) {
  const payment = await paidReceipt(ctx, student, { classIds: [chemistry.id], amount: '25.00' });
  const res = await ctx.app.inject({ method: 'POST', url: `/edu_admin/receipt-payments/${payment}/verify/`, headers: admin.auth });
  expect(res.statusCode, res.body).toBe(200);
  return payment;
}

beforeAll(async () => {
  ctx = await createTestContext({ workers: true });
  admin = await createAdmin(ctx);
  baseUrl = await ctx.listen();
  // One seat: the first student is registered and approved, the second fails for capacity.
  chemistry = await createClass(ctx, admin, { title: 'Chemistry Lab', price: '25.00', capacity: 1 });
  const start = new Date(Date.now() + 5 * 86_400_000).toISOString();
  zoomWebinarId = String(ctx.zoom.createWebinar({ topic: TOPIC, approval_type: 1, start_time: start, duration: 60 }).id);
  const link = await ctx.app.inject({ method: 'POST', url: `/edu_admin/classes/${chemistry.id}/webinars/`, headers: admin.auth, payload: { zoom_webinar_id: zoomWebinarId } });
  expect(link.statusCode, link.body).toBe(201);
  webinarId = link.json().id;
  students.push(await createStudent(ctx), await createStudent(ctx), await createStudent(ctx));
  await enroll(students[0]!);
  await settledAs(students[0]!.id, 'approved');
  await enroll(students[1]!);
  await settledAs(students[1]!.id, 'failed');
  // Someone who registered in Zoom directly, without paying: never approved by EduConnect.
  ctx.zoom.addRegistrantDirectly(zoomWebinarId, { email: 'walk-in@example.org', first_name: 'Walk', last_name: 'In' });
  browser = await launchChromium();
});

afterEach(async ({ task }) => {
  const failed = task.result?.state === 'fail';
  for (const [i, watched] of opened.splice(0).entries()) {
    if (failed) await screenshot(watched.page, `failed-admin-registrations-${task.name.slice(0, 40).replace(/\W+/g, '-')}-${i}`).catch(() => {});
    await watched.context.close();
  }
});

afterAll(async () => {
  await browser?.close();
  await ctx?.close();
});

async function open(options: Parameters<typeof openPage>[2] = {}) {
  const watched = await openPage(browser, baseUrl, { reducedMotion: 'reduce', acceptDownloads: true, ...options });
  opened.push(watched);
  return watched;
}

async function signInAsAdmin(page: Page) {
  await page.goto('/signin');
  await page.getByLabel('Username').fill(admin.username);
  await page.getByLabel('Password').fill(admin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/admin/receipts');
}

/** A full-page picture from the top, without the passing "New: …" note over it. */
async function shot(page: Page, name: string) {
  for (const dismiss of await page.getByRole('button', { name: 'Dismiss' }).all()) await dismiss.click().catch(() => {});
  await page.evaluate('window.scrollTo(0, 0)');
  await screenshot(page, name);
}

/** The number shown under a count's label, e.g. count(card, 'Failed') → '1'. */
const count = (scope: Locator, label: string) => scope.locator('.count').filter({ has: scope.page().getByText(label, { exact: true }) }).locator('.count-value');

describe('the registrations dashboard', () => {
  it('shows the pipeline live, a failure with its reason, Retry after the cause is fixed, Approve pending now and Reconcile now', async () => {
    const [ana, ben, cem] = students as [TestUser, TestUser, TestUser];
    const { page, problems } = await open();
    await signInAsAdmin(page);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Registrations' }).click();

    // Per webinar: approved Ana, failed Ben, the walk-in pending and unpaid.
    const card = page.getByRole('region', { name: TOPIC });
    await card.waitFor();
    await expectText(count(card, 'Approved'), '1');
    await expectText(count(card, 'Failed'), '1');
    await expectText(count(card, 'Pending, unpaid'), '1');
    await expectText(count(card, 'Pending, paid'), '0');
    await expectText(count(card, 'Queued'), '0');

    // Ben's failure says why, what fixes it, and offers Retry.
    const benRow = page.getByRole('row', { name: new RegExp(ben.username) });
    await benRow.getByText('Class at capacity').waitFor();
    await benRow.getByText('(class_full)').waitFor();
    await benRow.getByText('the class "Chemistry Lab" is at its capacity of 1').waitFor();
    await benRow.getByText('Raise the class capacity (Classes), then Retry.').waitFor();
    await benRow.getByRole('button', { name: 'Retry' }).waitFor();
    await shot(page, '20-admin-registrations');

    // Cem pays while the page is open: his failure arrives live (the admin is notified), no reload.
    await enroll(cem);
    await expectText(count(card, 'Failed'), '2', 15_000);
    await page.getByRole('row', { name: new RegExp(cem.username) }).getByText('Class at capacity').waitFor({ timeout: 15_000 });

    // Search and filter.
    await page.getByLabel('Search students').fill(cem.username);
    await page.getByText('1 registration', { exact: true }).waitFor();
    expect(await page.locator('tbody tr').count()).toBe(1);
    await page.getByLabel('Search students').fill('');
    await page.getByLabel('Status').selectOption('failed');
    await page.getByText('2 registrations', { exact: true }).waitFor();
    expect(page.url()).toContain('status=failed');

    // The cause is fixed on the class page (one more seat is not enough for two: five), then Retry.
    await page.goto(`/admin/classes/${chemistry.id}`);
    await page.getByLabel('Capacity (seats)').fill('5');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Saved “Chemistry Lab”.').waitFor();
    await page.goBack();
    await page.getByText('2 registrations', { exact: true }).waitFor();
    await page.getByRole('row', { name: new RegExp(ben.username) }).getByRole('button', { name: 'Retry' }).click();
    await page.getByText(`Retrying Test student for “${TOPIC}”: registering in Zoom again.`).waitFor();
    await settledAs(ben.id, 'approved');
    // The page looks again by itself: Ben leaves the failed list and shows as approved.
    await page.getByText('1 registration', { exact: true }).waitFor();
    await page.getByLabel('Status').selectOption('approved');
    await page.getByRole('row', { name: new RegExp(ben.username) }).getByText('approved', { exact: true }).waitFor();
    await expectText(count(card, 'Approved'), '2');

    // Approve pending now, for this webinar: a progress indication while Zoom is asked, then the answer.
    await page.route('**/edu_admin/approve-webinar-registrations/', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 800));
      await route.continue();
    });
    await card.getByRole('button', { name: 'Approve pending now' }).click();
    await page.getByRole('progressbar', { name: `Approving the paid pending registrants of “${TOPIC}” in Zoom…` }).waitFor();
    expect(await card.getByRole('button', { name: 'Approve pending now' }).isDisabled()).toBe(true);
    await page.getByText('Done: 0 approved, 1 skipped as unpaid, 0 failed.').waitFor();
    const report = page.getByRole('region', { name: `Approve pending now: ${TOPIC}` });
    await report.getByText('Skipped (not paid in EduConnect): walk-in@example.org').waitFor();
    await page.unroute('**/edu_admin/approve-webinar-registrations/');
    await shot(page, '21-admin-registrations-approved');

    // And for all upcoming webinars.
    await page.getByRole('button', { name: 'Approve pending now for all webinars' }).click();
    await page.getByRole('region', { name: 'Approve pending now: all upcoming webinars' }).getByText(/Checked 1 webinar in Zoom/).waitFor();

    // Reconcile now repairs drift: Ana's approval is in Zoom but our row lost it.
    const anaRow = (await registration(ana.id))!;
    await ctx.database.db.updateTable('zoom_webinar_registrations').set({ status: 'pending', approved_at: null }).where('id', '=', anaRow.id).execute();
    await page.getByRole('button', { name: 'Reconcile now' }).click();
    await page.getByText(/^Reconciled: 1 repaired, 0 approved, 1 skipped as unpaid, 1 failed\.$|^Reconciled: 1 repaired, 0 approved, 1 skipped as unpaid, 0 failed\.$/).waitFor();
    await page.getByRole('region', { name: 'Reconciliation with Zoom' }).getByText(`Repaired registration #${anaRow.id}: pending → approved (approved in Zoom)`).waitFor();
    expect((await registration(ana.id))?.status).toBe('approved');
    expect(problems).toEqual([]);
  });

  it('fits a phone: counts and registrations as labelled blocks, nothing wider than the screen', async () => {
    const { page, problems } = await open({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await signInAsAdmin(page);
    await page.goto('/admin/registrations?status=failed');
    await page.getByRole('row', { name: new RegExp(students[2]!.username) }).getByRole('button', { name: 'Retry' }).waitFor();
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await shot(page, '22-admin-registrations-phone');
    expect(problems).toEqual([]);
  });
});

describe('the reports', () => {
  it('draws each report as a chart with its numbers beside it, and downloads each as CSV', async () => {
    const { page, problems } = await open();
    await signInAsAdmin(page);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reports' }).click();

    // Rates per class: Ana and Ben approved, Cem failed → 2 of 3 reached Zoom, both approved.
    const rates = page.getByRole('region', { name: 'Registration and approval rates per class' });
    await rates.locator('svg.recharts-surface[role="application"]').waitFor();
    // Recharts draws the bars once it has measured the chart: one per rate for the class.
    await rates.locator('.recharts-bar-rectangle').nth(1).waitFor();
    const row = rates.getByRole('row', { name: /Chemistry Lab/ });
    expect(await row.locator('td').allInnerTexts()).toEqual(['66.7%', '100%', '3', '3', '2', '2', '1']);
    await page.getByRole('term').filter({ hasText: 'Registration rate' }).waitFor();

    // Verify → approved: two approvals (how long each took depends on the run: Ben's waited for his retry).
    const waits = page.getByRole('region', { name: 'Time from verify to approved' });
    await waits.locator('svg.recharts-surface[role="application"]').waitFor();
    await waits.locator('.recharts-bar-rectangle').first().waitFor();
    const buckets = (await waits.locator('tbody td').allInnerTexts()).map(Number);
    expect(buckets).toHaveLength(9);
    expect(buckets.reduce((a, b) => a + b, 0)).toBe(2);
    expect(await waits.locator('tfoot td').innerText()).toBe('2');
    await waits.getByText('Median (p50)').waitFor();

    // Failures by reason: Cem's, for capacity.
    const failures = page.getByRole('region', { name: 'Failures by reason' });
    await failures.locator('svg.recharts-surface[role="application"]').waitFor();
    const failure = failures.getByRole('row', { name: /Class at capacity/ });
    expect(await failure.locator('td').first().innerText()).toBe('1');
    await shot(page, '23-admin-reports');

    // Each CSV: UTF-8 with a byte-order mark, the header row, then the numbers of the table.
    const download = async (region: Locator) => {
      const [file] = await Promise.all([page.waitForEvent('download'), region.getByRole('button', { name: /^Download CSV/ }).click()]);
      return { name: file.suggestedFilename(), text: await readFile((await file.path())!, 'utf8') };
    };
    const ratesCsv = await download(rates);
    expect(ratesCsv.name).toMatch(/^educonnect-registration-rates-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(ratesCsv.text.charCodeAt(0)).toBe(0xfeff);
    const lines = ratesCsv.text.slice(1).split('\r\n');
    expect(lines[0]).toBe('class_id,class,enrolled,registrations,queued,pending,approved,denied,cancelled,failed,registered_in_zoom,registration_rate,approval_rate');
    expect(lines[1]).toBe(`${chemistry.id},Chemistry Lab,3,3,0,0,2,0,0,1,2,0.6667,1`);
    const waitsCsv = (await download(waits)).text.slice(1).split('\r\n').filter(Boolean);
    expect(waitsCsv[0]).toBe('bucket,min_seconds,max_seconds,approvals');
    expect(waitsCsv[1]).toMatch(/^< 10 s,0,10,\d+$/);
    expect(waitsCsv.at(-1)).toMatch(/^≥ 1 day,86400,,\d+$/);
    expect(waitsCsv.slice(1).map((line) => Number(line.split(',').at(-1))).reduce((a, b) => a + b, 0)).toBe(2);
    const failuresCsv = (await download(failures)).text.slice(1).split('\r\n');
    expect(failuresCsv[0]).toBe('failure_code,reason,registrations,latest_at,example');
    expect(failuresCsv[1]).toMatch(/^class_full,Class at capacity,1,\d{4}-\d{2}-\d{2}T[\d:.]+Z,"the class ""Chemistry Lab"" is at its capacity of 1"$/);
    expect(problems).toEqual([]);
  });
});

describe('refund from the receipts queue', () => {
  it('refunds a verified payment with a reason: its enrollment is revoked and its Zoom registration cancelled', async () => {
    const ana = students[0]!;
    const { page, problems } = await open();
    await signInAsAdmin(page);
    await page.getByRole('navigation', { name: 'Filter by status' }).getByRole('button', { name: 'Verified' }).click();
    await page.getByRole('list', { name: 'Verified payments' }).getByRole('button', { name: new RegExp(ana.username) }).click();
    await page.getByRole('button', { name: 'Refund…' }).click();
    await page.getByRole('button', { name: 'Refund', exact: true }).click();
    await page.getByText('Write the reason: the student sees it.').waitFor();
    await page.getByLabel('Reason for the refund (the student sees it)').fill('The lab sessions moved to next term.');
    await shot(page, '27-admin-receipts-refund');
    await page.getByRole('button', { name: 'Refund', exact: true }).click();
    await page.getByText(`Refunded payment`).waitFor();
    await page.getByText(`One enrollment of ${ana.username} revoked; their Zoom registrations are being cancelled and ${ana.username} is told.`).waitFor();
    await settledAs(ana.id, 'cancelled');
    expect(ctx.zoom.registrants(zoomWebinarId).find((r) => r.email === ana.email)?.status).not.toBe('approved');
    expect(problems).toEqual([]);
  });
});

async function expectText(locator: Locator, text: string, timeoutMs = 5_000) {
  await waitFor(async () => (await locator.innerText().catch(() => '')) === text, { timeoutMs, intervalMs: 100, what: `"${text}" in ${locator.toString()}` });
}
