import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';

/** Debian's chromium (apt-get install chromium), driven by playwright-core: no browser download. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'e2e');

/** A fresh headless Chromium (playwright gives every launch a new temporary profile). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  /** What the page said on its console as errors, and uncaught exceptions: a page that works needs neither. */
  problems: string[];
}

/** A new browser context and page whose console errors are collected (4xx answers the test provokes — a refused upload, an expired session — are expected). */
export async function openPage(browser: Browser, baseURL: string, options: BrowserContextOptions = {}): Promise<WatchedPage> {
  const context = await browser.newContext({ baseURL, locale: 'en-US', viewport: { width: 1280, height: 860 }, ...options });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && !/Failed to load resource: the server responded with a status of 4[0-9][0-9]/.test(message.text())) problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return { page, context, problems };
}

/** A full-page screenshot kept as a test artifact (test-artifacts/e2e/<name>.png). */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(ARTIFACTS, { recursive: true });
  // Let fonts and layout settle (no animations are waited for: the app has only a spinner).
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** A real PNG of a bank receipt, drawn by the browser itself. */
export async function receiptPng(browser: Browser, reference: string, amount: string): Promise<Buffer> {
  const page = await browser.newPage({ viewport: { width: 420, height: 300 } });
  await page.setContent(
    `<body style="margin:0;font:16px sans-serif;background:#fff"><div style="margin:20px;padding:20px;border:2px solid #333">
      <h2 style="margin:0 0 12px">First Example Bank</h2><p>Transfer to: EduConnect School</p>
      <p>Reference: <b>${reference}</b></p><p>Amount: <b>${amount}</b></p><p>Status: Completed</p></div></body>`,
  );
  const png = await page.screenshot({ type: 'png' });
  await page.close();
  return png;
}

/** A real one-page PDF receipt, printed by the browser. */
export async function receiptPdf(browser: Browser, reference: string, amount: string): Promise<Buffer> {
  const page = await browser.newPage();
  await page.setContent(`<body style="font:16px sans-serif"><h2>First Example Bank</h2><p>Transfer to: EduConnect School</p><p>Reference: <b>${reference}</b></p><p>Amount: <b>${amount}</b></p></body>`);
  const pdf = await page.pdf({ width: '420px', height: '300px' });
  await page.close();
  return pdf;
}
