import type { ErrorDetail } from '../http/errors.js';
import { STANDARD_FIELD_CHOICES, STANDARD_FIELDS, type StandardField, type ZoomRegistrantInput, type ZoomRegistrationQuestions } from './types.js';

/**
 * How each registration question of a webinar is answered for a student. Keys are a custom
 * question's title or a standard field's name (FACTS §2.5); a rule is fixed text or a value taken
 * from the student, payment or class.
 */
export const ANSWER_SOURCES = ['username', 'email', 'first_name', 'last_name', 'payment_id', 'payment_reference', 'class_title'] as const;
export type AnswerSource = (typeof ANSWER_SOURCES)[number];
export type AnswerRule = { fixed: string } | { from: AnswerSource };
export type AnswerMapping = Record<string, AnswerRule>;
export type AnswerContext = Record<AnswerSource, string>;

/** Zoom caps a custom answer at 128 characters and names at 64 (FACTS §2.1). */
const MAX_CUSTOM = 128;
const MAX_NAME = 64;

export interface Question {
  key: string;
  kind: 'standard' | 'custom';
  required: boolean;
  /** The allowed answers of a choice question (custom single/multiple, or an enumerated standard field). */
  choices?: readonly string[];
  multiple?: boolean;
}

export const normalizeTitle = (title: string) => title.trim().replace(/\s+/g, ' ').toLowerCase();

/** The questions of a snapshot in one list; first_name and email are always sent and not listed. */
export function listQuestions(snapshot: ZoomRegistrationQuestions | null): Question[] {
  if (!snapshot) return [];
  const standard = snapshot.questions.map((q) => ({ key: q.field_name, kind: 'standard' as const, required: q.required, choices: STANDARD_FIELD_CHOICES[q.field_name] }));
  const custom = snapshot.custom_questions.map((q) => ({
    key: q.title,
    kind: 'custom' as const,
    required: q.required,
    choices: q.type === 'short' ? undefined : (q.answers ?? []),
    multiple: q.type === 'multiple',
  }));
  return [...standard, ...custom];
}

/**
 * The seed's mapping, applied unless an admin overrides it: "Serial number" is the student's
 * username and "Secret number" the payment id; a last name is the student's last name.
 */
export function defaultMapping(questions: Question[]): AnswerMapping {
  const mapping: AnswerMapping = {};
  for (const q of questions) {
    const title = normalizeTitle(q.key);
    if (q.kind === 'custom' && title === 'serial number') mapping[q.key] = { from: 'username' };
    if (q.kind === 'custom' && title === 'secret number') mapping[q.key] = { from: 'payment_id' };
    if (q.kind === 'standard' && q.key === 'last_name') mapping[q.key] = { from: 'last_name' };
  }
  return mapping;
}

export const effectiveMapping = (questions: Question[], stored: AnswerMapping): AnswerMapping => ({ ...defaultMapping(questions), ...stored });

function fixedProblem(q: Question, value: string): string | undefined {
  if (q.kind === 'custom' && value.length > MAX_CUSTOM) return `must be at most ${MAX_CUSTOM} characters`;
  if (!q.choices) return undefined;
  const parts = q.multiple ? value.split(',').map((v) => v.trim()) : [value];
  const outside = parts.filter((p) => !q.choices!.includes(p));
  return outside.length ? `"${outside.join('", "')}" is not one of the allowed answers: ${q.choices.map((c) => `"${c}"`).join(', ')}` : undefined;
}

/** Checks an admin's mapping against the webinar's questions; one detail per problem (for a 400). */
export function validateMapping(questions: Question[], answers: AnswerMapping): ErrorDetail[] {
  const byKey = new Map(questions.map((q) => [q.key, q]));
  const details: ErrorDetail[] = [];
  for (const [key, rule] of Object.entries(answers)) {
    const q = byKey.get(key);
    const field = `body.answers.${key}`;
    if (!q) {
      details.push({ field, message: `is not a registration question of this webinar (questions: ${questions.map((x) => x.key).join(', ') || 'none'})` });
    } else if ('from' in rule && q.choices) {
      details.push({ field, message: 'is a choice question: answer it with a fixed value from its allowed answers' });
    } else if ('fixed' in rule) {
      if (q.required && rule.fixed.trim() === '') details.push({ field, message: 'is required: the answer must not be empty' });
      const problem = fixedProblem(q, rule.fixed);
      if (problem) details.push({ field, message: problem });
    }
  }
  return details;
}

/** Required questions that the mapping leaves without a usable answer: linking flags these. */
export function unansweredQuestions(questions: Question[], mapping: AnswerMapping): Question[] {
  return questions.filter((q) => {
    if (!q.required) return false;
    const rule = mapping[q.key];
    if (!rule) return true;
    if ('from' in rule) return Boolean(q.choices);
    return rule.fixed.trim() === '' || fixedProblem(q, rule.fixed) !== undefined;
  });
}

/**
 * The body of "add registrant" for one student. `missing` lists required questions whose answer
 * came out empty for this student (e.g. no last name on file); such a registration cannot be sent.
 */
export function buildRegistrant(questions: Question[], mapping: AnswerMapping, ctx: AnswerContext): { input: ZoomRegistrantInput; missing: string[] } {
  const input: ZoomRegistrantInput = { email: ctx.email, first_name: ctx.first_name.slice(0, MAX_NAME) };
  const custom: Array<{ title: string; value: string }> = [];
  const missing: string[] = [];
  for (const q of questions) {
    const rule = mapping[q.key];
    const raw = rule ? ('fixed' in rule ? rule.fixed : ctx[rule.from]) : '';
    const value = raw.trim().slice(0, q.kind === 'custom' ? MAX_CUSTOM : q.key === 'last_name' ? MAX_NAME : 255);
    if (!value) {
      if (q.required) missing.push(q.key);
      continue;
    }
    if (q.kind === 'custom') custom.push({ title: q.key, value });
    else if ((STANDARD_FIELDS as readonly string[]).includes(q.key)) input[q.key as StandardField] = value;
  }
  if (custom.length) input.custom_questions = custom;
  return { input, missing };
}
