import { describe, expect, it } from 'vitest';
import type { AdminPayment, Notification } from '../../web/src/api/types';
import { describeVerify } from '../../web/src/pages/admin/receipts';
import { mergeNotifications } from '../../web/src/pages/notifications';
import { parseClassIds } from '../../web/src/pages/pay';

const note = (id: number, is_read = false): Notification => ({ id, type: 'announcement', title: `n${id}`, message: '', preview: '', is_read, created_at: '', data: {}, action_url: null });

describe('page logic', () => {
  it('merges live and paged notifications newest first, each once, the newer copy winning', () => {
    const merged = mergeNotifications([note(5), note(3)], [note(6), note(3, true), note(1)]);
    expect(merged.map((n) => [n.id, n.is_read])).toEqual([
      [6, false],
      [5, false],
      [3, true],
      [1, false],
    ]);
  });

  it('reads the classes to pay for from the address', () => {
    expect(parseClassIds('2,1, 2,x,-3,0')).toEqual([2, 1]);
    expect(parseClassIds(null)).toEqual([]);
  });

  it('says what a verify did', () => {
    const payment = { id: 9, student: { id: 1, username: 'dana', email: '', first_name: 'Dana', last_name: 'Ito' } } as AdminPayment;
    const ref = (title: string) => ({ id: 1, class_id: 1, class_title: title });
    expect(describeVerify({ payment, enrollments_created: [ref('Algebra'), ref('Python')], enrollments_already_present: [] })).toBe('Verified payment #9. Dana Ito is now enrolled in Algebra, Python.');
    expect(describeVerify({ payment, enrollments_created: [], enrollments_already_present: [ref('Algebra')] })).toBe('Verified payment #9. Already enrolled in Algebra.');
  });
});
