import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import escapeHtml from 'escape-html';
import ICAL from 'ical.js';
import { sql } from 'kysely';
import PostalMime, { type Email } from 'postal-mime';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NotificationRow } from '../src/db/schema.js';
import { createLogger } from '../src/logger.js';
import { createEmailDeliverer, DeliveryBusyError, describeError, type EmailDeliverer } from '../src/notifications/email/deliver.js';
import { webinarInvite } from '../src/notifications/email/ics.js';
import { createMailer, type Mailer } from '../src/notifications/email/mailer.js';
import { renderEmail } from '../src/notifications/email/templates.js';
import { NOTIFICATION_TYPES, type NotificationData, type NotificationType } from '../src/notifications/types.js';
import { createTestContext, type TestContext } from './support/context.js';
import { createStudent, type TestUser } from './support/factories.js';

/** A real SMTP server on loopback that keeps every accepted message's raw bytes. */
interface TestSmtp {
  url: string;
  messages: Buffer[];
  /** When set, every message is refused with this 550 reply after DATA. */
  reject: string | null;
  close(): Promise<void>;
}

async function startSmtp(): Promise<TestSmtp> {
  const smtp: TestSmtp = { url: '', messages: [], reject: null, close: async () => {} };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    disableReverseLookup: true,
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (smtp.reject) return callback(Object.assign(new Error(smtp.reject), { responseCode: 550 }));
        smtp.messages.push(Buffer.concat(chunks));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  smtp.url = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  smtp.close = () => new Promise<void>((resolve) => server.close(resolve));
  return smtp;
}

const logger = createLogger({ logLevel: 'silent' });
const APPROVAL: NotificationData['webinar_approval'] = {
  webinar_id: 4242,
  topic: 'Algebra II: live session',
  join_url: 'https://zoom.example/w/4242?tk=personal-token&uuid=abc',
  start_time: '2026-03-10T15:00:00Z',
  timezone: 'America/New_York',
  duration: 90,
};
// March 10, 2026 is after the US switch to daylight time (March 8): 15:00 UTC is 11:00 EDT.
const LOCAL_TIME = 'Tuesday, March 10, 2026 at 11:00 AM EDT (America/New_York)';
const UTC_TIME = 'Tuesday, March 10, 2026 at 3:00 PM UTC';

let ctx: TestContext;
let smtp: TestSmtp;
let mailer: Mailer;
let deliverer: EmailDeliverer;

beforeAll(async () => {
  ctx = await createTestContext();
  smtp = await startSmtp();
  mailer = createMailer({ smtpUrl: smtp.url, mailFrom: ctx.config.mailFrom, dataDir: ctx.dataDir }, logger);
  deliverer = createEmailDeliverer({ db: ctx.database.db, mailer, logger, publicUrl: ctx.config.publicUrl });
});

afterAll(async () => {
  mailer?.close();
  await smtp?.close();
  await ctx?.close();
});

async function student(firstName = 'Ada'): Promise<TestUser> {
  const user = await createStudent(ctx);
  await ctx.database.db.updateTable('users').set({ first_name: firstName }).where('id', '=', user.id).execute();
  return user;
}

interface Seeded {
  notification: NotificationRow;
  deliveryId: number;
}

async function seed<T extends NotificationType>(
  user: TestUser,
  type: T,
  data: NotificationData[T],
  extra: { title?: string; message?: string; action_url?: string | null; read?: boolean } = {},
): Promise<Seeded> {
  const db = ctx.database.db;
  const notification = await db
    .insertInto('notifications')
    .values({
      user_id: user.id,
      type,
      title: extra.title ?? NOTIFICATION_TYPES[type].title,
      message: extra.message ?? `Message for ${type}`,
      data: JSON.stringify(data),
      dedupe_key: `test:${randomBytes(8).toString('hex')}`,
      action_url: extra.action_url ?? null,
      in_app: true,
      ...(extra.read ? { read_at: new Date() } : {}),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const delivery = await db
    .insertInto('notification_deliveries')
    .values({ notification_id: notification.id, channel: 'email', recipient: user.email })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { notification, deliveryId: delivery.id };
}

const deliveryRow = (id: number) => ctx.database.db.selectFrom('notification_deliveries').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const userRow = (id: number) => ctx.database.db.selectFrom('users').select(['id', 'first_name', 'last_name', 'email']).where('id', '=', id).executeTakeFirstOrThrow();
const render = async (seeded: Seeded, user: TestUser) =>
  renderEmail({ notification: seeded.notification, user: await userRow(user.id), publicUrl: ctx.config.publicUrl });

/** Delivers and returns the one message the SMTP server received for it. */
async function deliverOne(deliveryId: number): Promise<Email> {
  const before = smtp.messages.length;
  await expect(deliverer.deliver(deliveryId, { final: false })).resolves.toBe('sent');
  expect(smtp.messages).toHaveLength(before + 1);
  return PostalMime.parse(smtp.messages[before]!);
}

function inviteOf(email: Email): string {
  const ics = email.attachments.find((a) => a.filename === 'webinar.ics');
  expect(ics, 'webinar.ics attachment').toBeDefined();
  return typeof ics!.content === 'string' ? ics!.content : new TextDecoder().decode(ics!.content);
}

function parseInvite(content: string) {
  const calendar = new ICAL.Component(ICAL.parse(content));
  const vevent = calendar.getFirstSubcomponent('vevent');
  if (!vevent) throw new Error('no VEVENT in the invite');
  return { calendar, vevent, event: new ICAL.Event(vevent) };
}

const header = (email: Email, key: string) => email.headers.find((h) => h.key === key.toLowerCase())?.value;
const lines = (text: string | undefined) => (text ?? '').split(/\r?\n/).map((l) => l.trim());

describe('approval email over SMTP', () => {
  it('has the title as subject, the join link, both times, the footer links and a correct .ics invite', async () => {
    const ada = await student('Ada');
    const seeded = await seed(ada, 'webinar_approval', APPROVAL, { action_url: APPROVAL.join_url });
    const email = await deliverOne(seeded.deliveryId);

    expect(email.subject).toBe('Webinar Approved - Ready to Join!');
    expect(email.to?.[0]).toMatchObject({ address: ada.email });
    expect(header(email, 'X-EduConnect-Notification')).toBe(String(seeded.notification.id));
    expect(email.from).toMatchObject({ address: 'no-reply@educonnect.local' });

    // Plain text: greeting, the join URL on a line of its own, both times, the footer.
    expect(email.text).toContain('Hi Ada,');
    expect(lines(email.text)).toContain(APPROVAL.join_url);
    expect(email.text).toContain(LOCAL_TIME);
    expect(email.text).toContain(UTC_TIME);
    expect(email.text).toMatch(/personal/);
    expect(email.text).toContain('Duration: 90 minutes');
    expect(lines(email.text)).toContain('All your notifications: http://educonnect.test/notifications');
    expect(lines(email.text)).toContain('Choose which emails you get: http://educonnect.test/notifications/preferences');

    // HTML: the join link as the button's href (attribute-escaped), the same facts, the footer links.
    const href = `href="${APPROVAL.join_url.replace(/&/g, '&amp;')}"`;
    expect(email.html).toContain(`${href} style="display:inline-block`);
    expect(email.html).toContain('Hi Ada,');
    expect(email.html).toContain(LOCAL_TIME);
    expect(email.html).toContain(UTC_TIME);
    expect(email.html).toContain('href="http://educonnect.test/notifications"');
    expect(email.html).toContain('href="http://educonnect.test/notifications/preferences"');

    const { calendar, vevent, event } = parseInvite(inviteOf(email));
    expect(calendar.getFirstPropertyValue('method')).toBe('PUBLISH');
    expect(event.summary).toBe(APPROVAL.topic);
    expect(event.startDate.zone?.tzid).toBe('UTC');
    expect(event.startDate.toJSDate().toISOString()).toBe('2026-03-10T15:00:00.000Z');
    expect(event.duration.toSeconds()).toBe(90 * 60);
    expect(event.endDate.toJSDate().toISOString()).toBe('2026-03-10T16:30:00.000Z');
    expect(vevent.getFirstPropertyValue('url')).toBe(APPROVAL.join_url);
    expect(event.location).toBe(APPROVAL.join_url);
    expect(event.description).toContain(APPROVAL.join_url);
    expect(event.description).toContain('America/New_York');
    expect(event.uid).toBe(`webinar-${APPROVAL.webinar_id}-user-${ada.id}@educonnect.test`);

    const row = await deliveryRow(seeded.deliveryId);
    expect(row).toMatchObject({ status: 'sent', attempts: 1, last_error: null, provider_message_id: email.messageId });
    expect(row.sent_at).toBeInstanceOf(Date);
  });

  it('keeps the invite UID across renders of one delivery and gives another student another', async () => {
    const [ada, bob] = [await student('Ada'), await student('Bob')];
    const adas = await seed(ada, 'webinar_approval', APPROVAL);
    const bobs = await seed(bob, 'webinar_approval', APPROVAL);
    const uid = async (seeded: Seeded, user: TestUser) => {
      const rendered = await render(seeded, user);
      expect(rendered.icalEvent?.method).toBe('PUBLISH');
      return parseInvite(rendered.icalEvent!.content).event.uid;
    };
    const first = await uid(adas, ada);
    expect(await uid(adas, ada)).toBe(first);
    expect(await uid(bobs, bob)).not.toBe(first);
    // The sent email carries that same UID.
    expect(parseInvite(inviteOf(await deliverOne(adas.deliveryId))).event.uid).toBe(first);
  });

  it('defaults the invite to 60 minutes and shows only UTC without a time zone', async () => {
    const ada = await student();
    const seeded = await seed(ada, 'webinar_approval', { ...APPROVAL, duration: null, timezone: null });
    const rendered = await render(seeded, ada);
    expect(rendered.text).toContain(`When: ${UTC_TIME}`);
    expect(rendered.text).not.toContain('EDT');
    const { event } = parseInvite(rendered.icalEvent!.content);
    expect(event.endDate.toJSDate().toISOString()).toBe('2026-03-10T16:00:00.000Z');
  });

  it('folds the invite at 75 octets without splitting a character, whatever the topic', () => {
    const topic = `Álgebra — sesión en vivo 日本語 ${'🎓'.repeat(40)}`;
    const content = webinarInvite({ webinarId: 1, userId: 2, topic, startTime: '2026-03-10T20:30:00+05:30', durationMinutes: 45, timezone: 'Asia/Kolkata', joinUrl: APPROVAL.join_url, publicUrl: 'https://school.example/app' });
    for (const line of content.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    const { event } = parseInvite(content);
    expect(event.summary).toBe(topic);
    expect(event.startDate.toJSDate().toISOString()).toBe('2026-03-10T15:00:00.000Z');
    expect(event.uid).toBe('webinar-1-user-2@school.example');
  });
});

describe('templates', () => {
  it('escapes user-supplied text in the HTML and never links a javascript: URL', async () => {
    const ada = await student('<b>Ada</b>');
    const evil = '<script>alert("x")</script>';
    const cases = [
      await seed(ada, 'class_enrollment', { class_id: 1, class_title: `${evil} & Co`, enrollment_id: 1, payment_id: 1 }, { action_url: 'javascript:alert(1)' }),
      await seed(ada, 'payment_rejected', { payment_id: 7, reason: evil, amount: '49.00', currency: 'USD' }),
      await seed(ada, 'announcement', { broadcast_id: 1, class_id: null }, { title: `News ${evil}`, message: `Hello\n\n${evil}` }),
      await seed(ada, 'webinar_approval', { ...APPROVAL, topic: evil, join_url: 'javascript:alert(1)' }),
    ];
    for (const seeded of cases) {
      const { html, text } = await render(seeded, ada);
      expect(html).not.toContain('<script>');
      expect(html).not.toContain('<b>Ada</b>');
      expect(html).not.toMatch(/href="javascript:/i);
      expect(html).toContain('&lt;script&gt;');
      // Plain text is not HTML: it keeps the words as written.
      expect(text).toContain(evil);
    }
    expect((await render(cases[0]!, ada)).html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co');
  });

  it('payment_rejected shows the reason and the amount, and links the payments page under PUBLIC_URL', async () => {
    const ada = await student('Ada');
    const reason = 'The transfer reference does not match any of our accounts';
    const seeded = await seed(ada, 'payment_rejected', { payment_id: 77, reason, amount: '128.00', currency: 'USD' }, { action_url: '/payments' });
    const email = await deliverOne(seeded.deliveryId);
    expect(email.subject).toBe('Payment Not Accepted');
    for (const body of [email.text, email.html]) {
      expect(body).toContain(reason);
      expect(body).toContain('128.00 USD');
      expect(body).toContain('Hi Ada,');
    }
    expect(lines(email.text)).toContain('http://educonnect.test/payments');
    expect(email.html).toContain('href="http://educonnect.test/payments"');
  });

  it('renders every type with its title as subject and the footer links; unknown types fall back to the message', async () => {
    const ada = await student('Ada');
    const samples: { [T in NotificationType]: NotificationData[T] } = {
      class_enrollment: { class_id: 3, class_title: 'Physics 101', enrollment_id: 9, payment_id: 5 },
      webinar_registration: { webinar_id: 1, topic: 'Physics live', start_time: APPROVAL.start_time, timezone: 'Asia/Kolkata', status: 'pending' },
      webinar_approval: APPROVAL,
      payment_rejected: { payment_id: 5, reason: 'Blurry receipt', amount: '49.00', currency: 'EUR' },
      registration_problem: { webinar_id: 1, topic: 'Physics live', problem: 'A required question has no answer' },
      registration_cancelled: { webinar_id: 1, topic: 'Physics live', reason: 'The webinar was deleted in Zoom' },
      announcement: { broadcast_id: 2, class_id: null },
    };
    const expectations: Record<NotificationType, string> = {
      class_enrollment: 'enrolled in "Physics 101"',
      webinar_registration: 'Tuesday, March 10, 2026 at 8:30 PM GMT+5:30 (Asia/Kolkata)',
      webinar_approval: APPROVAL.join_url,
      payment_rejected: 'Blurry receipt',
      registration_problem: 'A required question has no answer',
      registration_cancelled: 'The webinar was deleted in Zoom',
      announcement: 'Room change: bring your calculators.',
    };
    for (const type of Object.keys(samples) as NotificationType[]) {
      const seeded = await seed(ada, type, samples[type], { message: 'Room change: bring your calculators.' });
      const rendered = await render(seeded, ada);
      expect(rendered.subject, type).toBe(NOTIFICATION_TYPES[type].title);
      expect(rendered.text, type).toContain(expectations[type]);
      expect(rendered.html, type).toContain(escapeHtml(expectations[type]));
      expect(rendered.html, type).toContain('href="http://educonnect.test/notifications/preferences"');
      expect(rendered.text, type).toContain('http://educonnect.test/notifications/preferences');
      expect(Boolean(rendered.icalEvent), type).toBe(type === 'webinar_approval');
    }

    const odd = await seed(ada, 'class_enrollment', { class_id: 1, class_title: 'x', enrollment_id: 1, payment_id: 1 });
    const unknown = { ...odd.notification, type: 'something_new', title: 'Something new', message: 'First line.\n\nSecond paragraph.' };
    const fallback = renderEmail({ notification: unknown, user: await userRow(ada.id), publicUrl: ctx.config.publicUrl });
    expect(fallback.subject).toBe('Something new');
    expect(fallback.text).toContain('First line.\n\nSecond paragraph.');
    expect(fallback.html).toContain('<p style="margin:0 0 16px;line-height:1.5">Second paragraph.</p>');
  });
});

describe('deliver()', () => {
  it('sends once: a second call answers already-sent and sends nothing', async () => {
    const ada = await student();
    const seeded = await seed(ada, 'class_enrollment', { class_id: 1, class_title: 'Once only', enrollment_id: 1, payment_id: 1 });
    await deliverOne(seeded.deliveryId);
    const count = smtp.messages.length;
    await expect(deliverer.deliver(seeded.deliveryId, { final: false })).resolves.toBe('already-sent');
    expect(smtp.messages).toHaveLength(count);
    expect(await deliveryRow(seeded.deliveryId)).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('sends once when two runs of the job overlap', async () => {
    const ada = await student();
    const seeded = await seed(ada, 'class_enrollment', { class_id: 1, class_title: 'Overlap', enrollment_id: 1, payment_id: 1 });
    const count = smtp.messages.length;
    const results = await Promise.allSettled([deliverer.deliver(seeded.deliveryId, { final: false }), deliverer.deliver(seeded.deliveryId, { final: false })]);
    expect(smtp.messages).toHaveLength(count + 1);
    const outcomes = results.map((r) => (r.status === 'fulfilled' ? r.value : r.reason instanceof DeliveryBusyError ? 'busy' : r.reason));
    expect(outcomes.filter((o) => o === 'sent')).toHaveLength(1);
    expect(outcomes.filter((o) => o !== 'sent').every((o) => o === 'busy' || o === 'already-sent')).toBe(true);
  });

  it("resumes a delivery whose run died mid-send, once the 'sending' lease is over", async () => {
    const ada = await student();
    const seeded = await seed(ada, 'class_enrollment', { class_id: 1, class_title: 'Crashed', enrollment_id: 1, payment_id: 1 });
    const db = ctx.database.db;
    await db.updateTable('notification_deliveries').set({ status: 'sending', attempts: 1, updated_at: sql`now()` }).where('id', '=', seeded.deliveryId).execute();
    await expect(deliverer.deliver(seeded.deliveryId, { final: false })).rejects.toBeInstanceOf(DeliveryBusyError);
    await db.updateTable('notification_deliveries').set({ updated_at: sql`now() - interval '10 minutes'` }).where('id', '=', seeded.deliveryId).execute();
    await deliverOne(seeded.deliveryId);
    expect(await deliveryRow(seeded.deliveryId)).toMatchObject({ status: 'sent', attempts: 2 });
  });

  it('skips a read non-essential notification but still sends a read essential one', async () => {
    const ada = await student();
    const count = smtp.messages.length;
    const registration = await seed(
      ada,
      'webinar_registration',
      { webinar_id: 1, topic: 'Read already', start_time: null, timezone: null, status: 'pending' },
      { read: true },
    );
    await expect(deliverer.deliver(registration.deliveryId, { final: false })).resolves.toBe('skipped');
    expect(smtp.messages).toHaveLength(count);
    expect(await deliveryRow(registration.deliveryId)).toMatchObject({ status: 'skipped', attempts: 0, last_error: null, sent_at: null });
    await expect(deliverer.deliver(registration.deliveryId, { final: false })).resolves.toBe('skipped');

    const approval = await seed(ada, 'webinar_approval', APPROVAL, { read: true });
    const email = await deliverOne(approval.deliveryId);
    expect(email.subject).toBe('Webinar Approved - Ready to Join!');
  });

  it("answers 'missing' for a delivery that does not exist", async () => {
    await expect(deliverer.deliver(987_654_321, { final: false })).resolves.toBe('missing');
  });

  it('records a refused send as queued (to retry) or failed (final) and rethrows', async () => {
    const ada = await student();
    const seeded = await seed(ada, 'payment_rejected', { payment_id: 1, reason: 'Refused test', amount: '1.00', currency: 'USD' });
    smtp.reject = 'Mailbox unavailable for tests';
    try {
      await expect(deliverer.deliver(seeded.deliveryId, { final: false })).rejects.toThrow(/Mailbox unavailable for tests/);
      const retry = await deliveryRow(seeded.deliveryId);
      expect(retry).toMatchObject({ status: 'queued', attempts: 1, sent_at: null });
      expect(retry.last_error).toMatch(/550.*Mailbox unavailable for tests/);

      await expect(deliverer.deliver(seeded.deliveryId, { final: true })).rejects.toThrow(/Mailbox unavailable/);
      expect(await deliveryRow(seeded.deliveryId)).toMatchObject({ status: 'failed', attempts: 2 });
    } finally {
      smtp.reject = null;
    }
    // A later run (an admin's retry) sends it.
    await deliverOne(seeded.deliveryId);
    expect(await deliveryRow(seeded.deliveryId)).toMatchObject({ status: 'sent', attempts: 3, last_error: null });
  });

  it('records an unreachable SMTP server, without the credentials of its URL', async () => {
    const closed = await startSmtp();
    await closed.close(); // a port that was just ours and now refuses connections
    const port = new URL(closed.url).port;
    const unreachable = createMailer({ smtpUrl: `smtp://user:s3cret-pw@127.0.0.1:${port}`, mailFrom: 'a@b.test', dataDir: ctx.dataDir }, logger);
    try {
      expect(unreachable.describe()).toBe(`SMTP smtp://127.0.0.1:${port}`);
      const failing = createEmailDeliverer({ db: ctx.database.db, mailer: unreachable, logger, publicUrl: ctx.config.publicUrl });
      const ada = await student();
      const seeded = await seed(ada, 'announcement', { broadcast_id: 1, class_id: null }, { title: 'Hello', message: 'Hi' });
      await expect(failing.deliver(seeded.deliveryId, { final: true })).rejects.toThrow();
      const row = await deliveryRow(seeded.deliveryId);
      expect(row).toMatchObject({ status: 'failed', attempts: 1 });
      expect(row.last_error).toMatch(/ECONNREFUSED|connect/i);
      expect(row.last_error).not.toContain('s3cret-pw');
      // And should an error quote such a URL, its credentials are blanked before being stored.
      expect(describeError(new Error(`Invalid login for smtps://mailer:s3cret-pw@smtp.example:465`))).toBe('Invalid login for smtps://[redacted]@smtp.example:465');
    } finally {
      unreachable.close();
    }
  });
});

describe('without SMTP', () => {
  it('writes each email as a parseable .eml file under dataDir/mail, named in sending order', async () => {
    const fileMailer = createMailer({ smtpUrl: undefined, mailFrom: ctx.config.mailFrom, dataDir: ctx.dataDir }, logger);
    try {
      expect(fileMailer.describe()).toContain(join(ctx.dataDir, 'mail'));
      const files = createEmailDeliverer({ db: ctx.database.db, mailer: fileMailer, logger, publicUrl: ctx.config.publicUrl });
      const ada = await student('Ada');
      const first = await seed(ada, 'webinar_approval', APPROVAL);
      const second = await seed(ada, 'class_enrollment', { class_id: 1, class_title: 'Second email', enrollment_id: 1, payment_id: 1 });
      await expect(files.deliver(first.deliveryId, { final: false })).resolves.toBe('sent');
      await expect(files.deliver(second.deliveryId, { final: false })).resolves.toBe('sent');

      const dir = join(ctx.dataDir, 'mail');
      const names = (await readdir(dir)).filter((n) => n.endsWith('.eml')).sort();
      expect(names).toHaveLength(2);
      const [approval, enrollment] = await Promise.all(names.map(async (n) => PostalMime.parse(await readFile(join(dir, n)))));
      expect(approval!.subject).toBe('Webinar Approved - Ready to Join!');
      expect(lines(approval!.text)).toContain(APPROVAL.join_url);
      expect(parseInvite(inviteOf(approval!)).event.startDate.toJSDate().toISOString()).toBe('2026-03-10T15:00:00.000Z');
      expect(enrollment!.text).toContain('Second email');

      const row = await deliveryRow(first.deliveryId);
      expect(row).toMatchObject({ status: 'sent', provider_message_id: approval!.messageId });
    } finally {
      fileMailer.close();
    }
  });
});
