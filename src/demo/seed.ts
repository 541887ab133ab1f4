import { Readable } from 'node:stream';
import { hashPassword } from '../auth/passwords.js';
import type { Services } from '../services.js';
import type { SimWebinarInput, ZoomSimulator } from '../zoom/simulator/index.js';

export const DEMO_ADMIN = { username: 'admin', password: 'admin-demo-2026' } as const;
export const DEMO_STUDENTS = [
  { username: 'alice', email: 'alice@example.com', first_name: 'Alice', last_name: 'Nguyen' },
  { username: 'bob', email: 'bob@example.com', first_name: 'Bob', last_name: 'Okafor' },
  { username: 'carol', email: 'carol@example.com', first_name: 'Carol', last_name: 'Silva' },
] as const;
export const DEMO_STUDENT_PASSWORD = 'student-demo-2026';

/** A 1×1 PNG, so the demo's pending payment has a real receipt to look at. */
const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

const daysFromNow = (days: number, hourUtc: number) => {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + days);
  d.setUTCHours(hourUtc, 0, 0, 0);
  return d.toISOString();
};

/** The demo webinars, as a host would set them up in Zoom: manual approval and the seed's questions. */
const DEMO_QUESTIONS = {
  questions: [{ field_name: 'last_name' as const, required: true }],
  custom_questions: [
    { title: 'Serial number', type: 'short' as const, required: true },
    { title: 'Secret number', type: 'short' as const, required: true },
    { title: 'How did you hear about us?', type: 'single_radio' as const, required: true, answers: ['EduConnect', 'A friend', 'Social media'] },
  ],
};

/**
 * Seeds demo content once per database: an admin, three students, two classes, one pending
 * payment — and, with the built-in simulator, three webinars created in it and linked through the
 * real Zoom path. A marker row written with the content makes a second run a no-op. With real
 * Zoom credentials no webinar is created (the demo never writes to a real Zoom account).
 */
export async function seedDemo(services: Services, simulator?: ZoomSimulator): Promise<{ seeded: boolean }> {
  const { db } = services;
  const already = await db.selectFrom('app_settings').select('key').where('key', '=', 'demo_seeded').executeTakeFirst();
  if (already) return { seeded: false };

  const [adminHash, studentHash] = await Promise.all([hashPassword(DEMO_ADMIN.password), hashPassword(DEMO_STUDENT_PASSWORD)]);
  const receipt = await services.receipts.save(Readable.from([TINY_PNG]));

  let created: { adminId: number; classIds: number[] } | undefined;
  try {
    created = await db.transaction().execute(async (trx) => {
      const marker = await trx
        .insertInto('app_settings')
        .values({ key: 'demo_seeded', value: JSON.stringify({ at: new Date().toISOString() }) })
        .onConflict((oc) => oc.column('key').doNothing())
        .returning('key')
        .executeTakeFirst();
      if (!marker) return undefined;
      const admin = await trx
        .insertInto('users')
        .values({ username: DEMO_ADMIN.username, email: 'admin@example.com', first_name: 'Ada', last_name: 'Admin', role: 'admin', password_hash: adminHash })
        .returning('id')
        .executeTakeFirstOrThrow();
      const students = await trx
        .insertInto('users')
        .values(DEMO_STUDENTS.map((s) => ({ ...s, role: 'student' as const, password_hash: studentHash })))
        .returning('id')
        .execute();
      const classes = await trx
        .insertInto('classes')
        .values([
          { title: 'Algebra Foundations', description: 'Six live sessions on equations, functions and graphs.', price: '49.00', currency: 'USD', capacity: 100 },
          { title: 'Intro to Python', description: 'Write real programs from the first session: variables to files.', price: '79.00', currency: 'USD', capacity: null },
        ])
        .returning('id')
        .execute();
      const payment = await trx
        .insertInto('receipt_payments')
        .values({
          student_id: students[0]!.id,
          amount: '49.00',
          currency: 'USD',
          reference: 'DEMO-TRANSFER-001',
          receipt_path: receipt.path,
          receipt_content_type: receipt.contentType,
          receipt_size: receipt.size,
          receipt_sha256: receipt.sha256,
          receipt_original_name: 'bank-transfer.png',
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx.insertInto('receipt_payment_classes').values({ payment_id: payment.id, class_id: classes[0]!.id, price: '49.00', currency: 'USD' }).execute();
      return { adminId: admin.id, classIds: classes.map((c) => c.id) };
    });
  } catch (error) {
    await services.receipts.remove(receipt.path);
    throw error;
  }
  if (!created) {
    await services.receipts.remove(receipt.path);
    return { seeded: false };
  }

  if (simulator) {
    const [algebra, python] = created.classIds as [number, number];
    const webinars: Array<[number, SimWebinarInput]> = [
      [algebra, { topic: 'Algebra Foundations — Session 1', start_time: daysFromNow(7, 15), duration: 60, timezone: 'America/New_York' }],
      [algebra, { topic: 'Algebra Foundations — Session 2', start_time: daysFromNow(14, 15), duration: 60, timezone: 'America/New_York' }],
      [python, { topic: 'Intro to Python — Live', start_time: daysFromNow(10, 9), duration: 90, timezone: 'Europe/London' }],
    ];
    for (const [classId, input] of webinars) {
      const webinar = simulator.createWebinar({ ...input, type: 5, approval_type: 1, questions: DEMO_QUESTIONS });
      const linked = await services.webinars.link(created.adminId, classId, String(webinar.id));
      await services.webinars.putMapping(created.adminId, linked.id, { 'How did you hear about us?': { fixed: 'EduConnect' } });
    }
  }
  return { seeded: true };
}

/** Whether this start should seed: forced by EDUCONNECT_DEMO, else only on the zero-config default. */
export const shouldSeedDemo = (demo: boolean | undefined, embeddedDefault: boolean) => demo ?? embeddedDefault;
