import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../support/context.js';
import { createAdmin, createClass, createStudent, paidReceipt, type TestUser } from '../support/factories.js';
import { launchChromium, openPage, receiptPdf, receiptPng, screenshot, type WatchedPage } from './browser.js';

/** The admin's receipts queue in headless Chromium: keyboard only, and a rejection the student sees live. */

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
    if (failed) await screenshot(watched.page, `failed-admin-${task.name.slice(0, 40).replace(/\W+/g, '-')}-${i}`).catch(() => {});
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

/** The element that has focus, described by its accessible bits (read in the page). */
const focused = (page: Page) => page.evaluate<string>('(e => e ? e.getAttribute("data-payment") || e.id || e.tagName : "")(document.activeElement)');

describe('the receipts queue', () => {
  it('is worked through with the keyboard alone: verify, next, reject with a reason; the student sees it live', async () => {
    const cls = await createClass(ctx, admin, { title: 'Geometry Basics', price: '49.00' });
    const [ana, ben, cem] = [await createStudent(ctx), await createStudent(ctx), await createStudent(ctx)];
    const png = await receiptPng(browser, 'TX-ANA', '$49.00');
    const first = await paidReceipt(ctx, ana!, { classIds: [cls.id], amount: '49.00', reference: 'TX-ANA', file: { data: png, filename: 'ana.png', contentType: 'image/png' } });
    const second = await paidReceipt(ctx, ben!, { classIds: [cls.id], amount: '4.90', reference: 'TX-BEN', file: { data: await receiptPdf(browser, 'TX-BEN', '$4.90'), filename: 'ben.pdf', contentType: 'application/pdf' } });
    const third = await paidReceipt(ctx, cem!, { classIds: [cls.id], amount: '49.00', reference: 'TX-CEM', file: { data: png, filename: 'cem.png', contentType: 'image/png' } });

    // Ben watches his payments page.
    const student = await open();
    await signIn(student.page, ben!);
    await student.page.waitForURL('**/classes');
    await student.page.goto('/payments');
    await student.page.getByText('Waiting for review').waitFor();

    // The admin signs in with the keyboard.
    const { page, problems } = await open();
    await page.goto('/signin');
    await page.getByLabel('Username').waitFor();
    await page.keyboard.press('Tab');
    await page.keyboard.type(admin.username);
    await page.keyboard.press('Tab');
    await page.keyboard.type(admin.password);
    await page.keyboard.press('Enter');
    await page.waitForURL('**/admin/receipts');

    // Oldest first; the first is selected, with its receipt beside it.
    const queue = page.getByRole('list', { name: 'Pending payments' });
    await queue.getByRole('listitem').nth(2).waitFor();
    expect(await queue.getByRole('listitem').allInnerTexts()).toEqual([expect.stringContaining(ana!.username), expect.stringContaining(ben!.username), expect.stringContaining(cem!.username)]);
    await page.getByRole('heading', { name: `Payment #${first}` }).waitFor();
    await page.getByRole('img', { name: 'Receipt uploaded by the student: ana.png' }).waitFor();

    // v verifies the selected one; the result shows at once and the next one is selected and focused.
    await page.keyboard.press('v');
    await page.getByText(`Verified payment #${first}. Test student is now enrolled in Geometry Basics.`).waitFor();
    await page.getByRole('heading', { name: `Payment #${second}` }).waitFor();
    expect(await focused(page)).toBe(String(second));

    // Ben's payment: the amount differs from the price, highlighted; the receipt is a PDF.
    await page.getByText('The amount differs from the class prices: check the receipt.').waitFor();
    expect(await queue.getByText('Amount differs').count()).toBe(1);
    await page.locator('object[type="application/pdf"]').waitFor({ state: 'attached' });
    await screenshot(page, '12-admin-receipts-amount-differs');

    // j and k move through the queue; r goes to the reason; Enter rejects.
    await page.keyboard.press('j');
    await page.getByRole('heading', { name: `Payment #${third}` }).waitFor();
    await page.keyboard.press('k');
    await page.getByRole('heading', { name: `Payment #${second}` }).waitFor();
    await page.keyboard.press('r');
    expect(await focused(page)).toBe('reject-reason');
    await page.keyboard.press('Enter');
    await page.getByText('Write the reason: the student sees it.').waitFor();
    await page.keyboard.type('The receipt shows $4.90; the class costs $49.00.');
    await page.keyboard.press('Enter');
    await page.getByText(`Rejected payment #${second}. ${ben!.username} sees: “The receipt shows $4.90; the class costs $49.00.”`).waitFor();
    await page.getByRole('heading', { name: `Payment #${third}` }).waitFor();
    expect(await focused(page)).toBe(String(third));

    // The student sees the reason without reloading.
    await student.page.getByText('The receipt shows $4.90; the class costs $49.00.').waitFor();
    await student.page.getByRole('link', { name: 'Notifications, 1 unread', exact: true }).waitFor();

    // Last one, then the queue is empty.
    await page.keyboard.press('v');
    await page.getByText('No receipts are waiting').waitFor();
    await screenshot(page, '13-admin-receipts-empty');

    // The other filters show what was decided.
    const filters = page.getByRole('navigation', { name: 'Filter by status' });
    await filters.getByRole('button', { name: 'All' }).click();
    await page.getByRole('list', { name: 'All payments' }).getByRole('listitem').nth(2).waitFor();
    await filters.getByRole('button', { name: 'Rejected' }).click();
    await page.getByRole('heading', { name: `Payment #${second}` }).waitFor();
    await page.locator('.receipt-detail q').getByText('The receipt shows $4.90; the class costs $49.00.').waitFor();

    const rows = await ctx.database.db.selectFrom('receipt_payments').select(['id', 'status']).where('id', 'in', [first, second, third]).orderBy('id').execute();
    expect(rows.map((r) => r.status)).toEqual(['verified', 'rejected', 'verified']);
    expect(problems).toEqual([]);
    expect(student.problems).toEqual([]);
  });

  it('is for admins only: a student sees that, not the queue', async () => {
    const student = await createStudent(ctx);
    const { page } = await open();
    await signIn(page, student);
    await page.waitForURL('**/classes');
    await page.goto('/admin/receipts');
    await page.getByText('This page is for admins.').waitFor();
  });
});
