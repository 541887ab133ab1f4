import { recordAudit } from '../audit/audit.js';
import type { Db } from '../db/database.js';
import { isUniqueViolation } from '../db/errors.js';
import type { ClassUpdate } from '../db/schema.js';
import { AppError, notFound, validationFailed } from '../http/errors.js';
import { formatCents, parseCents } from '../shared/money.js';
import { enrolledClassIds, findClass, listClasses, withCounts } from './repository.js';

export interface ClassInput {
  title: string;
  description?: string;
  price: string | number;
  currency: string;
  capacity?: number | null;
  is_active?: boolean;
}

export interface WebinarInput {
  zoom_webinar_id: string;
  topic?: string;
  start_time?: string;
  duration?: number;
  timezone?: string;
}

function priceOrThrow(price: string | number): string {
  const cents = parseCents(price);
  if (cents === undefined) throw validationFailed([{ field: 'body.price', message: 'must be an amount with at most 2 decimal places' }]);
  return formatCents(cents);
}

export type ClassesService = ReturnType<typeof createClassesService>;

export function createClassesService({ db }: { db: Db }) {
  async function getClass(id: number, options: { activeOnly?: boolean } = {}) {
    const row = await findClass(db, id);
    if (!row || (options.activeOnly && !row.is_active)) throw notFound('Class');
    const [withCount] = await withCounts(db, [row]);
    return withCount!;
  }

  async function createClass(actorId: number, input: ClassInput) {
    const price = priceOrThrow(input.price);
    const id = await db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('classes')
        .values({
          title: input.title.trim(),
          description: input.description?.trim() ?? '',
          price,
          currency: input.currency.toUpperCase(),
          capacity: input.capacity ?? null,
          is_active: input.is_active ?? true,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await recordAudit(trx, { actorId, action: 'class.create', entityType: 'class', entityId: row.id, details: { title: input.title, price } });
      return row.id;
    });
    return getClass(id);
  }

  async function updateClass(actorId: number, id: number, patch: Partial<ClassInput>) {
    const changes: ClassUpdate = {};
    if (patch.title !== undefined) changes.title = patch.title.trim();
    if (patch.description !== undefined) changes.description = patch.description.trim();
    if (patch.price !== undefined) changes.price = priceOrThrow(patch.price);
    if (patch.currency !== undefined) changes.currency = patch.currency.toUpperCase();
    if (patch.capacity !== undefined) changes.capacity = patch.capacity;
    if (patch.is_active !== undefined) changes.is_active = patch.is_active;
    await db.transaction().execute(async (trx) => {
      const updated = await trx
        .updateTable('classes')
        .set({ ...changes, updated_at: new Date() })
        .where('id', '=', id)
        .returning('id')
        .executeTakeFirst();
      if (!updated) throw notFound('Class');
      await recordAudit(trx, { actorId, action: 'class.update', entityType: 'class', entityId: id, details: { ...changes } });
    });
    return getClass(id);
  }

  async function list(options: { activeOnly: boolean; limit: number; offset: number }) {
    const { rows, count } = await listClasses(db, options);
    return { classes: await withCounts(db, rows), count };
  }

  /** The student's catalog: active classes, each marked when the student is already enrolled. */
  async function catalog(studentId: number, options: { limit: number; offset: number }) {
    const { classes, count } = await list({ ...options, activeOnly: true });
    const enrolled = await enrolledClassIds(db, studentId, classes.map((c) => c.row.id));
    return { items: classes.map((c) => ({ c, enrolled: enrolled.has(c.row.id) })), count };
  }

  async function catalogClass(studentId: number, id: number) {
    const c = await getClass(id, { activeOnly: true });
    const enrolled = await enrolledClassIds(db, studentId, [id]);
    return { c, enrolled: enrolled.has(id) };
  }

  /**
   * Links a Zoom webinar to a class. For now the admin supplies the details; the Zoom integration
   * replaces this with a fetch from Zoom (topic, times, questions) at the same seam.
   */
  async function attachWebinar(actorId: number, classId: number, input: WebinarInput) {
    if (!(await findClass(db, classId))) throw notFound('Class');
    try {
      return await db.transaction().execute(async (trx) => {
        const webinar = await trx
          .insertInto('webinars')
          .values({
            class_id: classId,
            zoom_webinar_id: input.zoom_webinar_id,
            topic: input.topic?.trim() || `Webinar ${input.zoom_webinar_id}`,
            start_time: input.start_time ?? null,
            duration_minutes: input.duration ?? null,
            timezone: input.timezone ?? null,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        await recordAudit(trx, { actorId, action: 'webinar.link', entityType: 'webinar', entityId: webinar.id, details: { class_id: classId, zoom_webinar_id: input.zoom_webinar_id } });
        return webinar;
      });
    } catch (error) {
      if (isUniqueViolation(error, 'webinars_zoom_webinar_id_key')) {
        throw new AppError('webinar_already_linked', `Zoom webinar ${input.zoom_webinar_id} is already linked to a class`);
      }
      throw error;
    }
  }

  async function listWebinars(classId: number) {
    return (await getClass(classId)).webinars;
  }

  return { getClass, createClass, updateClass, list, catalog, catalogClass, attachWebinar, listWebinars };
}
