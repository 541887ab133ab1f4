import type { Enrollment, Registration } from '../api/types';

export type StepState = 'done' | 'current' | 'todo';

export interface Step {
  label: string;
  state: StepState;
}

export interface RegistrationProgress {
  steps: Step[];
  /** A plain sentence about where things stand. */
  summary: string;
  /** Set when the way forward is blocked (failed, cancelled, denied, revoked). */
  problem: string | null;
  approved: boolean;
}

const LABELS = ['Paid', 'Enrolled', 'Registered', 'Approved'] as const;

function stepsUpTo(doneCount: number, blocked: boolean): Step[] {
  return LABELS.map((label, i) => ({ label, state: i < doneCount ? 'done' : i === doneCount && !blocked ? 'current' : 'todo' }));
}

/**
 * paid → enrolled → registered → approved, from the enrollment and its registration for a webinar.
 * An enrollment exists only for a verified payment, so "paid" and "enrolled" are done whenever it is active.
 */
export function registrationProgress(enrollmentStatus: Enrollment['status'], registration: Registration | null): RegistrationProgress {
  if (enrollmentStatus === 'revoked') {
    return { steps: stepsUpTo(1, true), summary: 'Enrollment revoked', problem: 'This enrollment was revoked, so you are no longer registered for this webinar.', approved: false };
  }
  switch (registration?.status) {
    case undefined:
      return { steps: stepsUpTo(2, false), summary: 'Enrolled — registration with Zoom has not started yet', problem: null, approved: false };
    case 'queued':
      return { steps: stepsUpTo(2, false), summary: 'Enrolled — registering you with Zoom', problem: null, approved: false };
    case 'pending':
      return { steps: stepsUpTo(3, false), summary: 'Registered — waiting for approval', problem: null, approved: false };
    case 'approved':
      return { steps: stepsUpTo(4, false), summary: 'Approved — you can join', problem: null, approved: true };
    case 'failed':
      return { steps: stepsUpTo(2, true), summary: 'Registration failed', problem: 'Registration with Zoom failed. The EduConnect team has been told and will retry it for you.', approved: false };
    case 'cancelled':
      return { steps: stepsUpTo(2, true), summary: 'Registration cancelled', problem: 'This registration was cancelled.', approved: false };
    case 'denied':
      return { steps: stepsUpTo(3, true), summary: 'Registration denied', problem: 'The host denied this registration. Contact the EduConnect team if you think this is a mistake.', approved: false };
    default:
      return { steps: stepsUpTo(2, false), summary: `Registration: ${String(registration?.status)}`, problem: null, approved: false };
  }
}
