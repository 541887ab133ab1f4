import { recordAudit } from '../audit/audit.js';
import type { Db } from '../db/database.js';
import type { ClassUpdate } from '../db/schema.js';
import { notFound, validationFailed } from '../http/errors.js';
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

  return { getClass, createClass, updateClass, list, catalog, catalogClass };
}
