import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import { ApiClient, ApiError, memoryTokenStore } from '../../web/src/api/client';
import { ApiProvider } from '../../web/src/api/context';
import type { AdminWebinar, QuestionMapping, ReportSummary } from '../../web/src/api/types';
import { failureLabel, formatRate, formatSeconds, newIdempotencyKey } from '../../web/src/lib/admin-words';
import { csvBlob, csvCell, toCsv } from '../../web/src/lib/csv';
import { bodyFromRows, invalidRows, mappingFieldErrors, rowProblem, rowsFromMapping, unansweredKeys } from '../../web/src/lib/mapping';
import { failuresTable, ratesTable, waitsTable } from '../../web/src/lib/reports';
import { AnnouncementsPage, keyFor } from '../../web/src/pages/admin/announcements';
import { classBody, EMPTY_CLASS } from '../../web/src/pages/admin/class-form';
import { describeRefund } from '../../web/src/pages/admin/receipts';
import { AdminWebinarPage } from '../../web/src/pages/admin/webinar';

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** An ApiClient over a fake server: `route` answers each request; every request is recorded. */
function fakeApi(route: (method: string, url: string, body: unknown) => Response | Promise<Response>) {
  const calls: Array<{ method: string; url: string; body: unknown }> = [];
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const method = init?.method ?? 'GET';
    const body = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
    calls.push({ method, url: String(input), body });
    return route(method, String(input), body);
  });
  return { api: new ApiClient({ store: memoryTokenStore({ access: 'a', refresh: 'r' }), fetch: fetch as unknown as typeof globalThis.fetch }), calls };
}

describe('CSV', () => {
  it('quotes what needs quoting, ends lines with CRLF and keeps formulas as text', () => {
    expect(toCsv(['a', 'b'], [[1, 'plain'], ['with, comma', 'with "quotes"'], ['two\nlines', null], [0.3333, true]])).toBe(
      'a,b\r\n1,plain\r\n"with, comma","with ""quotes"""\r\n"two\nlines",\r\n0.3333,true\r\n',
    );
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell(' padded ')).toBe('" padded "');
    expect(csvCell(Number.NaN)).toBe('');
    expect(csvCell(undefined)).toBe('');
  });

  it('is a UTF-8 file with a byte-order mark', async () => {
    const bytes = new Uint8Array(await csvBlob('x,–\r\n').arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(bytes.slice(3))).toBe('x,–\r\n');
  });

  it('exports each report section with its header row', () => {
    const summary: ReportSummary = {
      generated_at: '2026-05-04T10:00:00.000Z',
      totals: { classes: 1, enrolled: 2, registrations: { queued: 0, pending: 0, approved: 1, denied: 0, cancelled: 0, failed: 1, total: 2 }, registered_in_zoom: 1, registration_rate: 0.5, approval_rate: 1 },
      classes: [
        {
          class_id: 3,
          title: 'Algebra, live',
          is_active: true,
          capacity: 1,
          enrolled: 2,
          webinars: 1,
          registrations: { queued: 0, pending: 0, approved: 1, denied: 0, cancelled: 0, failed: 1, total: 2 },
          registered_in_zoom: 1,
          registration_rate: 0.5,
          approval_rate: 1,
        },
      ],
      verify_to_approved: { count: 1, p50_seconds: 2, p90_seconds: 2, p99_seconds: 2, max_seconds: 2, buckets: [{ label: '< 10 s', min_seconds: 0, max_seconds: 10, count: 1 }] },
      failures: [{ failure_code: 'class_full', count: 1, latest_at: '2026-05-04T09:00:00.000Z', example: 'the class "Algebra, live" is at its capacity of 1' }],
    };
    const rates = ratesTable(summary);
    expect(rates.filename).toBe('educonnect-registration-rates-2026-05-04.csv');
    expect(toCsv(rates.header, rates.rows).split('\r\n').slice(0, 2)).toEqual([
      'class_id,class,enrolled,registrations,queued,pending,approved,denied,cancelled,failed,registered_in_zoom,registration_rate,approval_rate',
      '3,"Algebra, live",2,2,0,0,1,0,0,1,1,0.5,1',
    ]);
    const waits = waitsTable(summary);
    expect(toCsv(waits.header, waits.rows)).toBe('bucket,min_seconds,max_seconds,approvals\r\n< 10 s,0,10,1\r\n');
    const failures = failuresTable(summary);
    expect(toCsv(failures.header, failures.rows)).toBe(
      'failure_code,reason,registrations,latest_at,example\r\nclass_full,Class at capacity,1,2026-05-04T09:00:00.000Z,"the class ""Algebra, live"" is at its capacity of 1"\r\n',
    );
  });
});

describe('admin wording', () => {
  it('says rates, durations and failure codes for people', () => {
    expect([0.5, 0.3333, 1, 0, null].map(formatRate)).toEqual(['50%', '33.3%', '100%', '0%', '—']);
    expect([0.42, 8.04, 42.4, 75, 3600, 5400, 86_400, 180_000, null].map(formatSeconds)).toEqual(['0.4 s', '8 s', '42 s', '1 min 15 s', '1 h', '1 h 30 min', '1 day', '2 days 2 h', '—']);
    expect([failureLabel('class_full'), failureLabel('zoom_3001'), failureLabel('something_new'), failureLabel(null)]).toEqual(['Class at capacity', 'Zoom refused (code 3001)', 'something new', 'Failed']);
  });

  it('makes a fresh idempotency key each time, and one per announcement draft', () => {
    const a = newIdempotencyKey();
    expect(a).toMatch(/^web-[0-9a-f]{32}$/);
    expect(newIdempotencyKey()).not.toBe(a);
    const draft = { classId: '', title: 'Hi', message: 'There', inApp: true, email: false };
    const first = keyFor(draft, null);
    expect(keyFor({ ...draft }, first)).toBe(first);
    expect(keyFor({ ...draft, message: 'There!' }, first).key).not.toBe(first.key);
  });

  it('sends only what changed when a class is edited', () => {
    const initial = { ...EMPTY_CLASS, title: 'Algebra', price: '49.00', capacity: '' };
    expect(classBody({ ...initial, capacity: '30', currency: 'eur' }, initial)).toEqual({ capacity: 30, currency: 'EUR' });
    expect(classBody(initial, initial)).toEqual({});
    expect(classBody({ ...initial, capacity: ' ' })).toMatchObject({ title: 'Algebra', price: '49.00', capacity: null, is_active: true });
  });

  it('says what a refund did', () => {
    expect(describeRefund({ payment_id: 4, status: 'refunded', enrollments_revoked: [1, 2], enrollments_kept: [] }, 'ana')).toBe(
      'Refunded payment #4. 2 enrollments of ana revoked; their Zoom registrations are being cancelled and ana is told.',
    );
    expect(describeRefund({ payment_id: 5, status: 'refunded', enrollments_revoked: [], enrollments_kept: [3] }, 'ben')).toBe('Refunded payment #5. One enrollment stays: paid through another verified payment.');
  });
});

const MAPPING: QuestionMapping = {
  webinar_id: 7,
  questions: [
    { key: 'last_name', kind: 'standard', required: true, choices: null },
    { key: 'org', kind: 'standard', required: true, choices: null },
    { key: 'Serial number', kind: 'custom', required: true, choices: null },
    { key: 'How did you hear about us?', kind: 'custom', required: true, choices: ['Friend', 'Search'] },
    { key: 'Notes v1.2', kind: 'custom', required: false, choices: null },
  ],
  answers: { last_name: { from: 'last_name' }, 'Serial number': { from: 'username' } },
  defaults: { last_name: { from: 'last_name' }, 'Serial number': { from: 'username' } },
  unanswered: ['org', 'How did you hear about us?'],
};

describe('question mapping form state', () => {
  it('starts from the effective answers and names what is unanswered', () => {
    const rows = rowsFromMapping(MAPPING);
    expect(rows.map((r) => [r.key, r.mode])).toEqual([
      ['last_name', 'from'],
      ['org', 'fixed'],
      ['Serial number', 'from'],
      ['How did you hear about us?', 'fixed'],
      ['Notes v1.2', 'none'],
    ]);
    expect(unansweredKeys(rows)).toEqual(['org', 'How did you hear about us?']);
    // Defaults are not sent back; nothing set means an empty body.
    expect(bodyFromRows(rows)).toEqual({ answers: {} });
  });

  it('sends the admin’s answers, and checks choices and emptiness like the server', () => {
    const rows = rowsFromMapping(MAPPING).map((r) =>
      r.key === 'org' ? { ...r, mode: 'fixed' as const, fixed: 'EduConnect' } : r.key === 'How did you hear about us?' ? { ...r, fixed: 'Friend' } : r.key === 'Serial number' ? { ...r, from: 'email' as const } : r,
    );
    expect(unansweredKeys(rows)).toEqual([]);
    expect(bodyFromRows(rows)).toEqual({ answers: { org: { fixed: 'EduConnect' }, 'How did you hear about us?': { fixed: 'Friend' }, 'Serial number': { from: 'email' } } });
    const choice = rows[3]!;
    expect(rowProblem({ ...choice, fixed: 'Radio' })).toBe('Choose one of: Friend, Search.');
    expect(rowProblem({ ...choice, mode: 'from' })).toBe('A choice question needs one of its answers.');
    expect(rowProblem({ ...rows[1]!, fixed: '   ' })).toBe('Required: type the answer, or take it from the student or payment.');
    expect(rowProblem({ ...choice, fixed: '' })).toBe('Required: choose the answer.');
    expect(rowProblem({ ...rows[4]!, mode: 'fixed', fixed: '' })).toBeNull();
    // An empty answer may be saved (the question stays unanswered); a refused value may not.
    const fresh = rowsFromMapping(MAPPING);
    expect(invalidRows(fresh)).toEqual([]);
    expect(invalidRows(fresh.map((r) => (r.choices ? { ...r, fixed: 'Radio' } : r))).map((r) => r.key)).toEqual(['How did you hear about us?']);
  });

  it('puts the server’s 400 details beside their question, also when a key has dots', () => {
    const error = new ApiError(400, 'validation_failed', 'The answer mapping does not fit', [
      { field: 'body.answers.Notes v1.2', message: 'must be at most 128 characters' },
      { field: 'body.answers.How did you hear about us?', message: '"Radio" is not one of the allowed answers: "Friend", "Search"' },
    ]);
    expect(mappingFieldErrors(error, MAPPING.questions.map((q) => q.key))).toEqual({
      'Notes v1.2': 'must be at most 128 characters',
      'How did you hear about us?': '"Radio" is not one of the allowed answers: "Friend", "Search"',
    });
    expect(mappingFieldErrors(new Error('x'), [])).toEqual({});
  });
});

const WEBINAR = {
  id: 7,
  class_id: 2,
  zoom_webinar_id: '81234567890',
  topic: 'Algebra live',
  start_time: '2026-06-01T16:00:00.000Z',
  duration: 60,
  timezone: 'UTC',
  webinar_type: 5,
  approval_type: 1,
  registration_type: null,
  occurrences: [],
  questions: MAPPING.questions,
  unanswered_questions: MAPPING.unanswered,
  registration_ready: false,
  problems: ['Required registration questions without an answer: "org", "How did you hear about us?". Set them in the question mapping.'],
  synced_at: '2026-05-01T10:00:00.000Z',
  deleted_in_zoom_at: null,
  created_at: '2026-05-01T10:00:00.000Z',
} satisfies AdminWebinar;

function renderWebinarPage(route: Parameters<typeof fakeApi>[0]) {
  const { api, calls } = fakeApi(route);
  render(
    <ApiProvider client={api}>
      <MemoryRouter initialEntries={['/admin/webinars/7']}>
        <Routes>
          <Route path="/admin/webinars/:id" element={<AdminWebinarPage />} />
        </Routes>
      </MemoryRouter>
    </ApiProvider>,
  );
  return calls;
}

describe('the question mapping page', () => {
  it('highlights unanswered required questions, saves the answers and shows the server’s detail beside its field', async () => {
    let put = 0;
    const calls = renderWebinarPage((method, url, body) => {
      if (url === '/edu_admin/webinars/7/') return json(200, put ? { ...WEBINAR, registration_ready: true, problems: [], unanswered_questions: [] } : WEBINAR);
      if (url === '/edu_admin/webinars/7/question-mapping/' && method === 'GET') return json(200, MAPPING);
      if (method === 'PUT') {
        put++;
        if (put === 1)
          return json(400, {
            code: 'validation_failed',
            message: 'The answer mapping does not fit this webinar',
            details: [{ field: 'body.answers.org', message: 'is not a registration question of this webinar' }],
            request_id: 'q1',
          });
        return json(200, { ...MAPPING, answers: { ...MAPPING.answers, ...(body as { answers: object }).answers }, unanswered: [] });
      }
      return json(404, { code: 'not_found', message: 'No', request_id: 'x' });
    });

    await screen.findByText('2 required questions have no answer:');
    const org = screen.getByRole('group', { name: /^org/ });
    expect(org.className).toContain('row-problem');
    expect(within(org).getByText('Required: type the answer, or take it from the student or payment.')).toBeTruthy();
    expect((within(org).getByLabelText('Fixed text') as HTMLInputElement).checked).toBe(true);
    expect(screen.getByText('Not ready')).toBeTruthy();

    fireEvent.click(within(org).getByLabelText('Fixed text'));
    fireEvent.change(within(org).getByLabelText('Answer text'), { target: { value: 'EduConnect' } });
    const choice = screen.getByRole('group', { name: /^How did you hear about us\?/ });
    expect(within(choice).queryByLabelText('Fixed answer')).toBeNull();
    fireEvent.change(within(choice).getByLabelText('Answer'), { target: { value: 'Search' } });
    expect(screen.getByText('Every required question has an answer (once saved).')).toBeTruthy();

    // The server refuses: its detail goes beside the question it names.
    fireEvent.click(screen.getByRole('button', { name: 'Save answers' }));
    await within(org).findByText('is not a registration question of this webinar');
    expect(within(org).getByLabelText('Answer text').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('Not saved: one answer is refused — see the message beside the question.')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Save answers' }));
    await screen.findByText('Saved. Every required question has an answer.');
    await screen.findByText('Ready for registrations');
    expect(calls.filter((c) => c.method === 'PUT').at(-1)!.body).toEqual({ answers: { org: { fixed: 'EduConnect' }, 'How did you hear about us?': { fixed: 'Search' } } });
  });
});

describe('the announcement form', () => {
  it('sends once for a double click, and again with the same key after a lost answer', async () => {
    let release: (() => void) | null = null;
    let posts = 0;
    const { api, calls } = fakeApi(async (method, url, body) => {
      if (url.startsWith('/edu_admin/classes/')) return json(200, { count: 0, next: null, previous: null, results: [] });
      posts++;
      if (posts === 1) return json(503, { code: 'service_unavailable', message: 'EduConnect is restarting', request_id: 'b1' });
      await new Promise<void>((resolve) => (release = resolve));
      const b = body as { title: string; message: string; channels: string[] };
      return json(201, { id: 1, class_id: null, title: b.title, message: b.message, channels: b.channels, recipients: 3, emails_queued: 3, created: true, created_at: '2026-05-04T10:00:00.000Z' });
    });
    render(
      <ApiProvider client={api}>
        <MemoryRouter>
          <AnnouncementsPage />
        </MemoryRouter>
      </ApiProvider>,
    );
    fireEvent.change(screen.getByLabelText('Title'), { target: { value: 'Room change' } });
    fireEvent.change(screen.getByLabelText('Message'), { target: { value: 'We meet in Zoom room B.' } });
    const send = screen.getByRole('button', { name: 'Send announcement' });
    fireEvent.click(send);
    await screen.findByText('Not sent: EduConnect is restarting');

    fireEvent.click(send);
    fireEvent.click(send);
    await waitFor(() => expect(release).not.toBeNull());
    release!();
    await screen.findByText('Sent “Room change” to all students: 3 students, 3 emails queued.');
    const sent = calls.filter((c) => c.method === 'POST');
    expect(sent).toHaveLength(2);
    const [first, second] = sent.map((c) => c.body as { idempotency_key: string; channels: string[] });
    expect(second!.idempotency_key).toBe(first!.idempotency_key);
    expect(first!.channels).toEqual(['in_app', 'email']);
    expect((screen.getByLabelText('Title') as HTMLInputElement).value).toBe('');
  });
});
