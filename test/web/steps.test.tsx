import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { StepIndicator } from '../../web/src/components/step-indicator';
import { registrationProgress } from '../../web/src/lib/steps';

const reg = (status: string) => ({ status, join_url: status === 'approved' ? 'https://zoom.example/w/1' : null, approved_at: null, updated_at: '2026-04-14T10:00:00Z' });
const states = (status: string | null, enrollment: 'active' | 'revoked' = 'active') =>
  registrationProgress(enrollment, status === null ? null : reg(status)).steps.map((s) => `${s.label}:${s.state}`);

describe('registration steps (paid → enrolled → registered → approved)', () => {
  it('moves along with the registration status', () => {
    expect(states('queued')).toEqual(['Paid:done', 'Enrolled:done', 'Registered:current', 'Approved:todo']);
    expect(states(null)).toEqual(['Paid:done', 'Enrolled:done', 'Registered:current', 'Approved:todo']);
    expect(states('pending')).toEqual(['Paid:done', 'Enrolled:done', 'Registered:done', 'Approved:current']);
    expect(states('approved')).toEqual(['Paid:done', 'Enrolled:done', 'Registered:done', 'Approved:done']);
    expect(registrationProgress('active', reg('approved'))).toMatchObject({ approved: true, problem: null });
  });

  it('says plainly when it is stuck', () => {
    expect(states('failed')).toEqual(['Paid:done', 'Enrolled:done', 'Registered:todo', 'Approved:todo']);
    expect(registrationProgress('active', reg('failed')).problem).toMatch(/failed/);
    expect(registrationProgress('active', reg('cancelled')).summary).toBe('Registration cancelled');
    expect(registrationProgress('active', reg('denied')).summary).toBe('Registration denied');
    expect(registrationProgress('revoked', reg('approved'))).toMatchObject({ approved: false, summary: 'Enrollment revoked' });
  });

  it('renders an ordered list that names each step and its state, with the current one marked', () => {
    render(<StepIndicator steps={registrationProgress('active', reg('pending')).steps} label="Registration for Week 1" />);
    const list = screen.getByRole('list', { name: 'Registration for Week 1' });
    const items = within(list).getAllByRole('listitem');
    expect(items.map((li) => li.textContent)).toEqual(['✓Paid (done)', '✓Enrolled (done)', '✓Registered (done)', '4Approved (in progress)']);
    expect(items[3]!.getAttribute('aria-current')).toBe('step');
  });
});
