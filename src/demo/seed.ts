import { Readable } from 'node:stream';
import type { Database } from '../db/database.js';
import { hashPassword } from '../auth/passwords.js';
import type { Services } from '../services.js';

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

/**
 * Seeds demo content once per database: an admin, three students, two classes with webinars and
 * one pending payment. A marker row written in the same transaction makes a second run a no-op.
 */
export async function seedDemo(database: Database, services: Services): Promise<{ seeded: boolean }> {
  const { db } = database;
  const already = await db.selectFrom('app_settings').select('key').where('key', '=', 'demo_seeded').executeTakeFirst();
  if (already) return { seeded: false };

  const [adminHash, studentHash] = await Promise.all([hashPassword(DEMO_ADMIN.password), hashPassword(DEMO_STUDENT_PASSWORD)]);
  const receipt = await services.receipts.save(Readable.from([TINY_PNG]));

  try {
    return await db.transaction().execute(async (trx) => {
      const marker = await trx
        .insertInto('app_settings')
        .values({ key: 'demo_seeded', value: JSON.stringify({ at: new Date().toISOString() }) })
        .onConflict((oc) => oc.column('key').doNothing())
        .returning('key')
        .executeTakeFirst();
      if (!marker) {
        await services.receipts.remove(receipt.path);
        return { seeded: false };
      }
      await trx
        .insertInto('users')
        .values({ username: DEMO_ADMIN.username, email: 'admin@example.com', first_name: 'Ada', last_name: 'Admin', role: 'admin', password_hash: adminHash })
        .execute();
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
        .returning(['id', 'price'])
        .execute();
      await trx
        .insertInto('webinars')
        .values([
          { class_id: classes[0]!.id, zoom_webinar_id: '81000000001', topic: 'Algebra Foundations — Session 1', start_time: daysFromNow(7, 15), duration_minutes: 60, timezone: 'America/New_York', approval_type: 1 },
          { class_id: classes[0]!.id, zoom_webinar_id: '81000000002', topic: 'Algebra Foundations — Session 2', start_time: daysFromNow(14, 15), duration_minutes: 60, timezone: 'America/New_York', approval_type: 1 },
          { class_id: classes[1]!.id, zoom_webinar_id: '81000000003', topic: 'Intro to Python — Live', start_time: daysFromNow(10, 9), duration_minutes: 90, timezone: 'Europe/London', approval_type: 1 },
        ])
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
      return { seeded: true };
    });
  } catch (error) {
    await services.receipts.remove(receipt.path);
    throw error;
  }
}

/** Whether this start should seed: forced by EDUCONNECT_DEMO, else only on the zero-config default. */
export const shouldSeedDemo = (demo: boolean | undefined, embeddedDefault: boolean) => demo ?? embeddedDefault;
