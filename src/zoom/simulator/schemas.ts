import { Type, type Static } from '@sinclair/typebox';
import { MAX_REGISTRANTS_PER_CALL, STANDARD_FIELDS } from '../types.js';

/**
 * Shapes of the /v2 requests (FACTS §2.1–2.7). They only check structure — types, enums, the
 * 30-item caps; the semantic checks (required questions, emails, capacity…) are in the handlers
 * so that one 300 answer lists every problem. Fastify turns a mismatch into 400 300.
 */

const Str = Type.String();

export const WebinarParams = Type.Object({ webinarId: Str });
export type WebinarParams = Static<typeof WebinarParams>;
export const RegistrantParams = Type.Object({ webinarId: Str, registrantId: Str });
export type RegistrantParams = Static<typeof RegistrantParams>;
export const UserParams = Type.Object({ userId: Str });
export type UserParams = Static<typeof UserParams>;

export const AddRegistrantQuery = Type.Object({ occurrence_ids: Type.Optional(Str) });
export type AddRegistrantQuery = Static<typeof AddRegistrantQuery>;

const standardFields = Object.fromEntries(STANDARD_FIELDS.map((name) => [name, Type.Optional(Str)]));
export const AddRegistrantBody = Type.Object({
  email: Type.Optional(Str),
  first_name: Type.Optional(Str),
  ...standardFields,
  custom_questions: Type.Optional(Type.Array(Type.Object({ title: Str, value: Str }))),
  language: Type.Optional(Str),
  source_id: Type.Optional(Str),
});

export const BatchBody = Type.Object({
  auto_approve: Type.Optional(Type.Boolean()),
  registrants: Type.Array(Type.Object({ email: Str, first_name: Str, last_name: Type.Optional(Str) }), { maxItems: MAX_REGISTRANTS_PER_CALL }),
});
export type BatchBody = Static<typeof BatchBody>;

export const StatusBody = Type.Object({
  action: Type.Union([Type.Literal('approve'), Type.Literal('deny'), Type.Literal('cancel')]),
  registrants: Type.Optional(Type.Array(Type.Object({ id: Type.Optional(Str), email: Type.Optional(Str) }), { maxItems: MAX_REGISTRANTS_PER_CALL })),
});
export type StatusBody = Static<typeof StatusBody>;

const PageSize = Type.Integer({ minimum: 1 });

export const ListRegistrantsQuery = Type.Object({
  status: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('denied')])),
  occurrence_id: Type.Optional(Str),
  page_size: Type.Optional(PageSize),
  next_page_token: Type.Optional(Str),
});
export type ListRegistrantsQuery = Static<typeof ListRegistrantsQuery>;

export const ListWebinarsQuery = Type.Object({
  type: Type.Optional(Type.Union([Type.Literal('scheduled'), Type.Literal('upcoming')])),
  page_size: Type.Optional(PageSize),
  next_page_token: Type.Optional(Str),
});
export type ListWebinarsQuery = Static<typeof ListWebinarsQuery>;

export const CreateWebinarBody = Type.Object({
  topic: Str,
  type: Type.Optional(Type.Union([Type.Literal(5), Type.Literal(6), Type.Literal(9)])),
  start_time: Type.Optional(Str),
  duration: Type.Optional(Type.Integer({ minimum: 1 })),
  timezone: Type.Optional(Str),
  agenda: Type.Optional(Str),
  settings: Type.Optional(
    Type.Object({
      approval_type: Type.Optional(Type.Union([Type.Literal(0), Type.Literal(1), Type.Literal(2)])),
      registration_type: Type.Optional(Type.Union([Type.Literal(1), Type.Literal(2), Type.Literal(3)])),
      registrants_restrict_number: Type.Optional(Type.Integer({ minimum: 0, maximum: 20000 })),
    }),
  ),
});
export type CreateWebinarBody = Static<typeof CreateWebinarBody>;

export const QuestionsBody = Type.Object({
  questions: Type.Optional(Type.Array(Type.Object({ field_name: Type.Union(STANDARD_FIELDS.map((f) => Type.Literal(f))), required: Type.Boolean() }))),
  custom_questions: Type.Optional(
    Type.Array(
      Type.Object({
        title: Str,
        type: Type.Union([Type.Literal('short'), Type.Literal('single_radio'), Type.Literal('single_dropdown'), Type.Literal('multiple')]),
        required: Type.Boolean(),
        answers: Type.Optional(Type.Array(Str)),
      }),
    ),
  ),
});
export type QuestionsBody = Static<typeof QuestionsBody>;
