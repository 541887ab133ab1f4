import { recordAudit } from '../audit/audit.js';
import type { Db, Tx } from '../db/database.js';
import { isUniqueViolation } from '../db/errors.js';
import type { WebinarRow } from '../db/schema.js';
import { AppError, notFound, validationFailed } from '../http/errors.js';
import type { ZoomClient } from '../zoom/client.js';
import { ZoomApiError } from '../zoom/errors.js';
import { defaultMapping, effectiveMapping, listQuestions, unansweredQuestions, validateMapping, type AnswerMapping } from '../zoom/questions.js';
import type { ZoomRegistrationQuestions, ZoomWebinar } from '../zoom/types.js';

export interface WebinarsServiceDeps {
  db: Db;
  zoom: ZoomClient;
  /** The Zoom user that hosts webinars created from EduConnect ('me', an id or an email). */
  hostUser: string;
  /** Called in the linking transaction (the pipeline queues registrations of enrolled students). */
  onLinked?: (trx: Tx, webinarId: number) => Promise<void>;
  now?: () => Date;
}

export interface CreateWebinarInput {
  topic: string;
  start_time: string;
  duration: number;
  timezone?: string;
  agenda?: string;
}

/** Turns a failed Zoom call into the answer an admin can act on, with Zoom's own reason. */
export function zoomProblem(error: unknown, zoomWebinarId: string): never {
  if (!(error instanceof ZoomApiError)) throw error;
  if (error.isNotFound) throw new AppError('zoom_webinar_not_found', `Zoom has no webinar ${zoomWebinarId}: ${error.zoomMessage}`);
  if (error.retry.kind === 'soon') throw new AppError('zoom_unavailable', `Zoom did not answer properly (${error.zoomMessage}); try again shortly`, undefined, { 'retry-after': String(Math.max(1, Math.ceil(error.retry.afterMs / 1000))) });
  if (error.retry.kind === 'next_utc_day') throw new AppError('zoom_rate_limited', `Zoom's daily limit is reached (${error.zoomMessage}); it resets at ${error.retry.at.toISOString()}`);
  throw new AppError('zoom_error', `Zoom refused: ${error.zoomMessage}${error.zoomCode ? ` (code ${error.zoomCode})` : ''}`);
}

/** A webinar is over when its last session has ended (FACTS §2.1, code 3038 at registration). */
function isOver(w: ZoomWebinar, now: Date): boolean {
  const ends = (start: string | undefined, minutes: number | undefined) => (start ? Date.parse(start) + (minutes ?? 0) * 60_000 : Infinity);
  if (w.type === 6) return false;
  if (w.occurrences?.length) return w.occurrences.every((o) => ends(o.start_time, o.duration ?? w.duration) < now.getTime());
  return ends(w.start_time, w.duration) < now.getTime();
}

/** Columns refreshed from Zoom on link and sync. */
function snapshot(w: ZoomWebinar, questions: ZoomRegistrationQuestions) {
  return {
    topic: w.topic,
    start_time: w.start_time ?? null,
    duration_minutes: w.duration ?? null,
    timezone: w.timezone ?? null,
    webinar_type: w.type,
    approval_type: w.settings?.approval_type ?? null,
    registration_type: w.settings?.registration_type ?? null,
    host_email: w.host_email ?? null,
    occurrences: JSON.stringify((w.occurrences ?? []).map((o) => ({ occurrence_id: o.occurrence_id, start_time: o.start_time, duration: o.duration }))),
    questions: JSON.stringify(questions),
    synced_at: new Date(),
    deleted_in_zoom_at: null,
    updated_at: new Date(),
  };
}

export type WebinarsService = ReturnType<typeof createWebinarsService>;

export function createWebinarsService({ db, zoom, hostUser, onLinked, now = () => new Date() }: WebinarsServiceDeps) {
  /** Fetches a webinar and its questions, refusing ones students could never register for. */
  async function fetchFromZoom(zoomWebinarId: string) {
    try {
      const webinar = await zoom.getWebinar(zoomWebinarId);
      if (webinar.settings?.approval_type === 2) {
        throw new AppError('zoom_registration_disabled', `Webinar ${zoomWebinarId} does not require registration in Zoom (approval type 2); turn registration on with manual approval so that only paid students get in`);
      }
      if (isOver(webinar, now())) throw new AppError('zoom_webinar_over', `Webinar ${zoomWebinarId} is over; students can no longer register for it`);
      return { webinar, questions: await zoom.getQuestions(zoomWebinarId) };
    } catch (error) {
      if (error instanceof AppError) throw error;
      return zoomProblem(error, zoomWebinarId);
    }
  }

  async function get(id: number): Promise<WebinarRow> {
    const row = await db.selectFrom('webinars').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('Webinar');
    return row;
  }

  async function link(actorId: number, classId: number, zoomWebinarId: string): Promise<WebinarRow> {
    const cls = await db.selectFrom('classes').select('id').where('id', '=', classId).executeTakeFirst();
    if (!cls) throw notFound('Class');
    const existing = await db.selectFrom('webinars').select('class_id').where('zoom_webinar_id', '=', zoomWebinarId).executeTakeFirst();
    if (existing) throw new AppError('webinar_already_linked', `Zoom webinar ${zoomWebinarId} is already linked to class ${existing.class_id}`);
    const { webinar, questions } = await fetchFromZoom(zoomWebinarId);
    try {
      return await db.transaction().execute(async (trx) => {
        const row = await trx
          .insertInto('webinars')
          .values({ class_id: classId, zoom_webinar_id: zoomWebinarId, ...snapshot(webinar, questions) })
          .returningAll()
          .executeTakeFirstOrThrow();
        await recordAudit(trx, { actorId, action: 'webinar.link', entityType: 'webinar', entityId: row.id, details: { class_id: classId, zoom_webinar_id: zoomWebinarId } });
        await onLinked?.(trx, row.id);
        return row;
      });
    } catch (error) {
      if (isUniqueViolation(error, 'webinars_zoom_webinar_id_key')) throw new AppError('webinar_already_linked', `Zoom webinar ${zoomWebinarId} is already linked to a class`);
      throw error;
    }
  }

  /**
   * Creates a webinar in Zoom for a class, with manual approval so that only students EduConnect
   * approves (the paid ones) get in, then links it.
   */
  async function createAndLink(actorId: number, classId: number, input: CreateWebinarInput): Promise<WebinarRow> {
    if (!(await db.selectFrom('classes').select('id').where('id', '=', classId).executeTakeFirst())) throw notFound('Class');
    let created: ZoomWebinar;
    try {
      created = await zoom.createWebinar(hostUser, {
        topic: input.topic,
        type: 5,
        start_time: input.start_time,
        duration: input.duration,
        timezone: input.timezone ?? 'UTC',
        agenda: input.agenda,
        settings: { approval_type: 1, registrants_confirmation_email: false },
      });
    } catch (error) {
      return zoomProblem(error, '(new)');
    }
    return link(actorId, classId, String(created.id));
  }

  async function sync(actorId: number, id: number): Promise<WebinarRow> {
    const current = await get(id);
    const { webinar, questions } = await fetchFromZoom(current.zoom_webinar_id);
    return db.transaction().execute(async (trx) => {
      const row = await trx.updateTable('webinars').set(snapshot(webinar, questions)).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
      await recordAudit(trx, { actorId, action: 'webinar.sync', entityType: 'webinar', entityId: id });
      return row;
    });
  }

  function mappingView(row: WebinarRow) {
    const questions = listQuestions(row.questions);
    const answers = effectiveMapping(questions, row.answer_mapping);
    return { row, questions, answers, defaults: defaultMapping(questions), unanswered: unansweredQuestions(questions, answers) };
  }

  async function putMapping(actorId: number, id: number, answers: AnswerMapping) {
    const row = await get(id);
    const details = validateMapping(listQuestions(row.questions), answers);
    if (details.length) throw validationFailed(details, `The answer mapping does not fit this webinar's questions: ${details.map((d) => `${d.field} ${d.message}`).join('; ')}`);
    const updated = await db.transaction().execute(async (trx) => {
      const next = await trx
        .updateTable('webinars')
        .set({ answer_mapping: JSON.stringify(answers), updated_at: new Date() })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(trx, { actorId, action: 'webinar.question_mapping', entityType: 'webinar', entityId: id, details: { answers } });
      return next;
    });
    return mappingView(updated);
  }

  const listForClass = (classId: number) => db.selectFrom('webinars').selectAll().where('class_id', '=', classId).orderBy('start_time').orderBy('id').execute();

  return { get, link, createAndLink, sync, listForClass, putMapping, getMapping: async (id: number) => mappingView(await get(id)) };
}
