import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { STANDARD_FIELD_CHOICES, STANDARD_FIELDS, type StandardField, type ZoomRegistrantInput, type ZoomRegistrationQuestions } from '../types.js';
import type { FieldError } from './errors.js';

/** ajv's own "email" format (the same check the rest of the project uses), not a hand-made regex. */
const ajv = new Ajv.default({ allErrors: true, strict: false });
addFormats.default(ajv, ['email']);
const isEmail = ajv.compile<string>({ type: 'string', format: 'email' });

/** Zoom's POST body limits (FACTS §2.1). */
const MAX = { first_name: 64, last_name: 64, email: 128, customValue: 128 } as const;

export interface CleanRegistrant {
  email: string;
  first_name: string;
  fields: Partial<Record<StandardField, string>>;
  custom_questions: Array<{ title: string; value: string }>;
  language?: string;
}

/** Name + email checks shared by single and batch registration. */
export function checkIdentity(input: { email?: unknown; first_name?: unknown; last_name?: unknown }, prefix = ''): FieldError[] {
  const errors: FieldError[] = [];
  const email = typeof input.email === 'string' ? input.email.trim() : '';
  if (email === '') errors.push({ field: `${prefix}email`, message: 'This field is required.' });
  else if (email.length > MAX.email) errors.push({ field: `${prefix}email`, message: `Must be at most ${MAX.email} characters.` });
  else if (!isEmail(email)) errors.push({ field: `${prefix}email`, message: 'Invalid email address.' });
  const first = typeof input.first_name === 'string' ? input.first_name.trim() : '';
  if (first === '') errors.push({ field: `${prefix}first_name`, message: 'This field is required.' });
  else if (first.length > MAX.first_name) errors.push({ field: `${prefix}first_name`, message: `Must be at most ${MAX.first_name} characters.` });
  if (typeof input.last_name === 'string' && input.last_name.length > MAX.last_name) {
    errors.push({ field: `${prefix}last_name`, message: `Must be at most ${MAX.last_name} characters.` });
  }
  return errors;
}

/**
 * Checks a registrant against the webinar's registration questions (FACTS §2.5, §7 #12): every
 * required standard field and required custom question answered, choice values among the
 * question's answers (and the standard enums), custom values ≤ 128 characters. FACTS leaves the
 * exact code open ("likely 300/400"); the simulator answers 400 300 "Validation Failed." with every
 * problem listed, the shape of FACTS §2.10. Custom answers whose title matches no question are dropped.
 */
export function checkRegistrant(input: Partial<ZoomRegistrantInput>, questions: ZoomRegistrationQuestions): { errors: FieldError[]; clean: CleanRegistrant } {
  const errors = checkIdentity(input);
  const fields: Partial<Record<StandardField, string>> = {};
  for (const name of STANDARD_FIELDS) {
    const value = input[name];
    if (typeof value === 'string' && value !== '') fields[name] = value;
  }
  for (const q of questions.questions) {
    if (q.required && (fields[q.field_name] ?? '').trim() === '') errors.push({ field: q.field_name, message: 'This field is required.' });
  }
  for (const [name, choices] of Object.entries(STANDARD_FIELD_CHOICES) as Array<[StandardField, readonly string[]]>) {
    const value = fields[name];
    if (value !== undefined && !choices.includes(value)) errors.push({ field: name, message: `"${value}" is not one of the allowed values.` });
  }

  const answers = new Map<string, string>();
  for (const a of input.custom_questions ?? []) answers.set(a.title, a.value);
  const custom: Array<{ title: string; value: string }> = [];
  for (const q of questions.custom_questions) {
    const value = answers.get(q.title);
    const field = `custom_questions.${q.title}`;
    if (value === undefined || value.trim() === '') {
      if (q.required) errors.push({ field, message: 'This question is required.' });
      continue;
    }
    if (value.length > MAX.customValue) errors.push({ field, message: `Must be at most ${MAX.customValue} characters.` });
    else if (q.type !== 'short' && !choiceAllowed(value, q.type, q.answers ?? [])) errors.push({ field, message: `"${value}" is not one of the answers.` });
    custom.push({ title: q.title, value });
  }

  const clean: CleanRegistrant = {
    email: typeof input.email === 'string' ? input.email.trim() : '',
    first_name: typeof input.first_name === 'string' ? input.first_name.trim() : '',
    fields,
    custom_questions: custom,
    ...(input.language !== undefined ? { language: input.language } : {}),
  };
  return { errors, clean };
}

/** A "multiple" answer may name several choices, comma-separated. */
function choiceAllowed(value: string, type: string, answers: readonly string[]): boolean {
  if (answers.includes(value)) return true;
  return type === 'multiple' && value.split(',').every((part) => answers.includes(part.trim()));
}
