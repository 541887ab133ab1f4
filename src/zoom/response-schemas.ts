import { Type } from '@sinclair/typebox';

/**
 * What the client checks of Zoom's answers before trusting them: the fields EduConnect reads.
 * Extra fields are allowed (Zoom adds fields over time, FACTS §1.2); missing or mistyped ones are not.
 */
const Occurrence = Type.Object({ occurrence_id: Type.String(), start_time: Type.String() });
const ZoomId = Type.Union([Type.Integer(), Type.String({ pattern: '^[0-9]+$' })]);

export const Webinar = Type.Object({
  id: ZoomId,
  topic: Type.String(),
  type: Type.Integer(),
  start_time: Type.Optional(Type.String()),
  duration: Type.Optional(Type.Integer()),
  timezone: Type.Optional(Type.String()),
  occurrences: Type.Optional(Type.Array(Occurrence)),
  settings: Type.Optional(Type.Object({ approval_type: Type.Optional(Type.Integer()), registration_type: Type.Optional(Type.Integer()) })),
});

export const WebinarList = Type.Object({
  next_page_token: Type.Optional(Type.String()),
  webinars: Type.Array(Type.Object({ id: ZoomId, topic: Type.String() })),
});

export const Questions = Type.Object({
  questions: Type.Array(Type.Object({ field_name: Type.String(), required: Type.Boolean() })),
  custom_questions: Type.Array(
    Type.Object({ title: Type.String(), type: Type.String(), required: Type.Boolean(), answers: Type.Optional(Type.Array(Type.String())) }),
  ),
});

export const RegistrantCreated = Type.Object({
  registrant_id: Type.String({ minLength: 1 }),
  join_url: Type.String({ minLength: 1 }),
  status: Type.Optional(Type.String()),
});

export const Registrant = Type.Object({
  id: Type.String({ minLength: 1 }),
  email: Type.String(),
  status: Type.String(),
  join_url: Type.Optional(Type.String()),
});

export const RegistrantList = Type.Object({
  next_page_token: Type.Optional(Type.String()),
  total_records: Type.Optional(Type.Integer()),
  registrants: Type.Array(Registrant),
});

export const BatchResult = Type.Object({
  registrants: Type.Array(Type.Object({ email: Type.String(), join_url: Type.String(), registrant_id: Type.String() })),
});
