import { ApiError } from '../api/client';
import type { AnswerRule, AnswerSource, QuestionMapping, WebinarQuestion } from '../api/types';

/**
 * The question-mapping form's state: one row per registration question, answered by fixed text (a
 * choice from the list for choice questions) or by a field of the student or the payment. Mirrors
 * the server's rules (src/zoom/questions.ts) so the form can say what is still unanswered before saving.
 */

export const SOURCES: ReadonlyArray<{ value: AnswerSource; label: string }> = [
  { value: 'username', label: 'Username' },
  { value: 'email', label: 'Email' },
  { value: 'first_name', label: 'First name' },
  { value: 'last_name', label: 'Last name' },
  { value: 'payment_id', label: 'Payment number' },
  { value: 'payment_reference', label: 'Bank reference of the payment' },
  { value: 'class_title', label: 'Class title' },
];

export type AnswerMode = 'fixed' | 'from' | 'none';

export interface MappingRow extends WebinarQuestion {
  mode: AnswerMode;
  fixed: string;
  from: AnswerSource;
  /** The seed's default for this question, applied when the admin sets nothing. */
  default: AnswerRule | null;
}

/** Zoom caps a custom answer at 128 characters; a standard field at 255. */
export const maxAnswerLength = (q: Pick<WebinarQuestion, 'kind'>) => (q.kind === 'custom' ? 128 : 255);

const isSource = (value: unknown): value is AnswerSource => SOURCES.some((s) => s.value === value);

function toRule(raw: { fixed?: string; from?: string } | undefined): AnswerRule | null {
  if (!raw) return null;
  if (typeof raw.fixed === 'string') return { fixed: raw.fixed };
  if (isSource(raw.from)) return { from: raw.from };
  return null;
}

export function rowsFromMapping(view: QuestionMapping): MappingRow[] {
  return view.questions.map((q) => {
    const rule = toRule(view.answers[q.key]);
    return {
      ...q,
      // Unanswered: a required question starts on fixed text, ready to be typed or chosen.
      mode: rule ? ('fixed' in rule ? 'fixed' : 'from') : q.choices || q.required ? 'fixed' : 'none',
      fixed: rule && 'fixed' in rule ? rule.fixed : '',
      from: rule && 'from' in rule ? rule.from : 'username',
      default: toRule(view.defaults[q.key]),
    };
  });
}

export function ruleOf(row: MappingRow): AnswerRule | null {
  if (row.mode === 'fixed') return { fixed: row.fixed };
  if (row.mode === 'from') return { from: row.from };
  return null;
}

const sameRule = (a: AnswerRule | null, b: AnswerRule | null) => JSON.stringify(a) === JSON.stringify(b);

/** No answer given yet (which may be saved: the question then stays unanswered). */
export const isEmpty = (row: MappingRow) => row.mode === 'none' || (row.mode === 'fixed' && row.fixed.trim() === '');

/**
 * The PUT body: the admin's answers. A row left at its default is not sent (the server applies the
 * default itself); a question left empty is not sent either (it stays unanswered).
 */
export function bodyFromRows(rows: MappingRow[]): { answers: Record<string, AnswerRule> } {
  const answers: Record<string, AnswerRule> = {};
  for (const row of rows) {
    const rule = ruleOf(row);
    if (!rule || isEmpty(row) || sameRule(rule, row.default)) continue;
    answers[row.key] = rule;
  }
  return { answers };
}

/** Rows whose answer the server would refuse (a value outside a choice list, too long…): these block saving; empty ones do not. */
export const invalidRows = (rows: MappingRow[]) => rows.filter((row) => !isEmpty(row) && rowProblem(row) !== null);

/** Why a row cannot be saved as it is, or null. */
export function rowProblem(row: MappingRow): string | null {
  if (row.mode === 'from' && row.choices) return 'A choice question needs one of its answers.';
  if (row.mode === 'fixed') {
    const value = row.fixed.trim();
    if (!value) return row.required ? (row.choices ? 'Required: choose the answer.' : 'Required: type the answer, or take it from the student or payment.') : null;
    if (row.choices && !row.choices.includes(row.fixed)) return `Choose one of: ${row.choices.filter(Boolean).join(', ')}.`;
    if (row.fixed.length > maxAnswerLength(row)) return `At most ${maxAnswerLength(row)} characters.`;
    return null;
  }
  if (row.mode === 'none' && row.required) return 'Required: this question has no answer, so registrations would fail.';
  return null;
}

/** Required questions that the form leaves without a usable answer (what the server calls `unanswered`). */
export function unansweredKeys(rows: MappingRow[]): string[] {
  return rows.filter((row) => row.required && rowProblem(row) !== null).map((row) => row.key);
}

/**
 * The server's 400 details, by question: fields are `body.answers.<question key>` (a key may contain
 * dots, so the longest question key that fits wins).
 */
export function mappingFieldErrors(error: unknown, keys: readonly string[]): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const out: Record<string, string> = {};
  const byLength = [...keys].sort((a, b) => b.length - a.length);
  for (const detail of error.details) {
    const prefix = 'body.answers.';
    if (!detail.field.startsWith(prefix)) continue;
    const rest = detail.field.slice(prefix.length);
    const key = byLength.find((k) => rest === k || rest.startsWith(`${k}.`)) ?? rest;
    out[key] = out[key] ? `${out[key]} ${detail.message}` : detail.message;
  }
  return out;
}

/** "Fixed: “EduConnect”", "From the student's username", "No answer". */
export function describeRule(rule: AnswerRule | null): string {
  if (!rule) return 'No answer';
  if ('fixed' in rule) return `Fixed: “${rule.fixed}”`;
  return `From: ${SOURCES.find((s) => s.value === rule.from)?.label ?? rule.from}`;
}
