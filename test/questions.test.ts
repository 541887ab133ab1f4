import { describe, expect, it } from 'vitest';
import { buildRegistrant, defaultMapping, effectiveMapping, listQuestions, unansweredQuestions, validateMapping } from '../src/zoom/questions.js';
import type { ZoomRegistrationQuestions } from '../src/zoom/types.js';

const snapshot: ZoomRegistrationQuestions = {
  questions: [
    { field_name: 'last_name', required: true },
    { field_name: 'org', required: true },
    { field_name: 'no_of_employees', required: false },
    { field_name: 'city', required: false },
  ],
  custom_questions: [
    { title: 'Serial  Number', type: 'short', required: true },
    { title: 'Secret number', type: 'short', required: true },
    { title: 'Level', type: 'single_dropdown', required: true, answers: ['Beginner', 'Advanced'] },
    { title: 'Topics', type: 'multiple', required: false, answers: ['Algebra', 'Geometry', 'Calculus'] },
    { title: 'Anything else?', type: 'short', required: false },
  ],
};
const questions = listQuestions(snapshot);
const ctx = { username: 'alice', email: 'alice@example.org', first_name: 'Alice', last_name: 'Nguyen', payment_id: '42', payment_reference: 'TX-1', class_title: 'Algebra' };

describe('registration question mapping', () => {
  it('answers Serial number with the username and Secret number with the payment id by default', () => {
    expect(defaultMapping(questions)).toEqual({
      last_name: { from: 'last_name' },
      'Serial  Number': { from: 'username' },
      'Secret number': { from: 'payment_id' },
    });
  });

  it('lists the required questions the mapping leaves unanswered', () => {
    const unanswered = unansweredQuestions(questions, effectiveMapping(questions, {}));
    expect(unanswered.map((q) => q.key)).toEqual(['org', 'Level']);
    const complete = effectiveMapping(questions, { org: { fixed: 'EduConnect' }, Level: { fixed: 'Beginner' } });
    expect(unansweredQuestions(questions, complete)).toEqual([]);
  });

  it('refuses a fixed answer outside a choice question, a "from" on a choice question, and unknown questions', () => {
    const details = validateMapping(questions, {
      Level: { fixed: 'Expert' },
      Topics: { from: 'class_title' },
      no_of_employees: { fixed: '7' },
      'Favourite colour': { fixed: 'blue' },
      org: { fixed: '' },
    });
    expect(details.map((d) => d.field)).toEqual([
      'body.answers.Level',
      'body.answers.Topics',
      'body.answers.no_of_employees',
      'body.answers.Favourite colour',
      'body.answers.org',
    ]);
    expect(details[0]!.message).toContain('"Beginner", "Advanced"');
    expect(validateMapping(questions, { Level: { fixed: 'Advanced' }, Topics: { fixed: 'Algebra, Calculus' }, no_of_employees: { fixed: '1-20' } })).toEqual([]);
  });

  it('builds the add-registrant body with standard fields and custom answers', () => {
    const mapping = effectiveMapping(questions, { org: { fixed: 'EduConnect' }, Level: { fixed: 'Beginner' }, city: { fixed: '' } });
    const { input, missing } = buildRegistrant(questions, mapping, ctx);
    expect(missing).toEqual([]);
    expect(input).toEqual({
      email: 'alice@example.org',
      first_name: 'Alice',
      last_name: 'Nguyen',
      org: 'EduConnect',
      custom_questions: [
        { title: 'Serial  Number', value: 'alice' },
        { title: 'Secret number', value: '42' },
        { title: 'Level', value: 'Beginner' },
      ],
    });
  });

  it('reports a required answer that is empty for this student, and caps answers at 128 characters', () => {
    const mapping = effectiveMapping(questions, { org: { fixed: 'x'.repeat(300) }, Level: { fixed: 'Beginner' }, 'Anything else?': { fixed: 'y'.repeat(300) } });
    const { input, missing } = buildRegistrant(questions, mapping, { ...ctx, last_name: '' });
    expect(missing).toEqual(['last_name']);
    expect(input.custom_questions?.find((c) => c.title === 'Anything else?')?.value).toHaveLength(128);
  });
});
