import { Type } from '@sinclair/typebox';
import type { WebinarRow } from '../db/schema.js';
import { DateTime, Nullable, NullableDateTime } from '../http/schemas.js';
import { effectiveMapping, listQuestions, unansweredQuestions, type AnswerMapping } from '../zoom/questions.js';

const QuestionSchema = Type.Object({
  key: Type.String({ description: "A custom question's title or a standard field's name" }),
  kind: Type.Union([Type.Literal('standard'), Type.Literal('custom')]),
  required: Type.Boolean(),
  choices: Nullable(Type.Array(Type.String())),
});

export const WebinarSchema = Type.Object(
  {
    id: Type.Integer(),
    class_id: Type.Integer(),
    zoom_webinar_id: Type.String(),
    topic: Type.String(),
    start_time: NullableDateTime,
    duration: Nullable(Type.Integer()),
    timezone: Nullable(Type.String()),
    webinar_type: Nullable(Type.Integer()),
    approval_type: Nullable(Type.Integer()),
    registration_type: Nullable(Type.Integer()),
    occurrences: Type.Array(Type.Object({ occurrence_id: Type.String(), start_time: Type.String(), duration: Type.Optional(Type.Integer()) })),
    questions: Type.Array(QuestionSchema),
    unanswered_questions: Type.Array(Type.String()),
    registration_ready: Type.Boolean({ description: 'False when a required question has no answer, or Zoom deleted the webinar' }),
    problems: Type.Array(Type.String()),
    synced_at: NullableDateTime,
    deleted_in_zoom_at: NullableDateTime,
    created_at: DateTime,
  },
  { $id: 'Webinar' },
);

/** What a student sees of a webinar: no Zoom ids, no host links, no questions. */
export const PublicWebinarSchema = Type.Object(
  {
    id: Type.Integer(),
    topic: Type.String(),
    start_time: NullableDateTime,
    duration: Nullable(Type.Integer()),
    timezone: Nullable(Type.String()),
  },
  { $id: 'PublicWebinar' },
);

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Whether the pipeline can register students for this webinar, and why not. */
export function readiness(w: WebinarRow) {
  const questions = listQuestions(w.questions);
  const unanswered = unansweredQuestions(questions, effectiveMapping(questions, w.answer_mapping as AnswerMapping));
  const problems: string[] = [];
  if (unanswered.length) {
    problems.push(`Required registration questions without an answer: ${unanswered.map((q) => `"${q.key}"`).join(', ')}. Set them in the question mapping.`);
  }
  if (w.approval_type === 2) problems.push('Registration is disabled for this webinar in Zoom (approval type 2).');
  if (w.deleted_in_zoom_at) problems.push('This webinar was deleted in Zoom.');
  return { questions, unanswered, problems, ready: problems.length === 0 };
}

export function presentWebinar(w: WebinarRow) {
  const r = readiness(w);
  return {
    id: w.id,
    class_id: w.class_id,
    zoom_webinar_id: w.zoom_webinar_id,
    topic: w.topic,
    start_time: iso(w.start_time),
    duration: w.duration_minutes,
    timezone: w.timezone,
    webinar_type: w.webinar_type,
    approval_type: w.approval_type,
    registration_type: w.registration_type,
    occurrences: (w.occurrences as Array<{ occurrence_id: string; start_time: string; duration?: number }>) ?? [],
    questions: r.questions.map((q) => ({ key: q.key, kind: q.kind, required: q.required, choices: q.choices ? [...q.choices] : null })),
    unanswered_questions: r.unanswered.map((q) => q.key),
    registration_ready: r.ready,
    problems: r.problems,
    synced_at: iso(w.synced_at),
    deleted_in_zoom_at: iso(w.deleted_in_zoom_at),
    created_at: w.created_at.toISOString(),
  };
}

export const presentPublicWebinar = (w: WebinarRow) => ({
  id: w.id,
  topic: w.topic,
  start_time: iso(w.start_time),
  duration: w.duration_minutes,
  timezone: w.timezone,
});
