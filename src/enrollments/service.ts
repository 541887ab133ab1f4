import type { Db } from '../db/database.js';
import { formatMoney } from '../shared/money.js';

export type EnrollmentsService = ReturnType<typeof createEnrollmentsService>;

export function createEnrollmentsService({ db }: { db: Db }) {
  /**
   * A student's enrollments, each with its class's webinars and the student's registration for
   * each (status, and the join link once approved). Four queries, whatever the count.
   */
  async function forStudent(studentId: number) {
    const enrollments = await db
      .selectFrom('enrollments as e')
      .innerJoin('classes as c', 'c.id', 'e.class_id')
      .select(['e.id', 'e.status', 'e.payment_id', 'e.created_at', 'e.revoked_at', 'c.id as class_id', 'c.title', 'c.description', 'c.price', 'c.currency'])
      .where('e.student_id', '=', studentId)
      .orderBy('e.id', 'desc')
      .execute();
    const classIds = [...new Set(enrollments.map((e) => e.class_id))];
    const webinars = classIds.length
      ? await db.selectFrom('webinars').selectAll().where('class_id', 'in', classIds).orderBy('start_time').orderBy('id').execute()
      : [];
    const registrations = webinars.length
      ? await db
          .selectFrom('zoom_webinar_registrations')
          .select(['webinar_id', 'status', 'join_url', 'updated_at', 'approved_at'])
          .where('student_id', '=', studentId)
          .where(
            'webinar_id',
            'in',
            webinars.map((w) => w.id),
          )
          .execute()
      : [];
    const registrationOf = new Map(registrations.map((r) => [r.webinar_id, r]));

    return enrollments.map((e) => ({
      id: e.id,
      status: e.status,
      payment_id: e.payment_id,
      created_at: e.created_at.toISOString(),
      revoked_at: e.revoked_at?.toISOString() ?? null,
      class: { id: e.class_id, title: e.title, description: e.description, price: formatMoney(e.price), currency: e.currency },
      webinars: webinars
        .filter((w) => w.class_id === e.class_id)
        .map((w) => {
          const r = registrationOf.get(w.id);
          return {
            id: w.id,
            topic: w.topic,
            start_time: w.start_time?.toISOString() ?? null,
            duration: w.duration_minutes,
            timezone: w.timezone,
            registration: r
              ? {
                  status: r.status,
                  // Only an approved, still-enrolled student gets the personal link.
                  join_url: r.status === 'approved' && e.status === 'active' ? r.join_url : null,
                  approved_at: r.approved_at?.toISOString() ?? null,
                  updated_at: r.updated_at.toISOString(),
                }
              : null,
          };
        }),
    }));
  }

  return { forStudent };
}
