import type { ReportSummary } from '../api/types';
import { failureLabel } from './admin-words';
import type { CsvCell } from './csv';

/** Each report section's table as rows — the same numbers the page shows and the CSV exports. */

export interface ReportTable {
  filename: string;
  header: string[];
  rows: CsvCell[][];
}

const day = (iso: string) => iso.slice(0, 10);

export function ratesTable(summary: ReportSummary): ReportTable {
  return {
    filename: `educonnect-registration-rates-${day(summary.generated_at)}.csv`,
    header: ['class_id', 'class', 'enrolled', 'registrations', 'queued', 'pending', 'approved', 'denied', 'cancelled', 'failed', 'registered_in_zoom', 'registration_rate', 'approval_rate'],
    rows: summary.classes.map((c) => [
      c.class_id,
      c.title,
      c.enrolled,
      c.registrations.total,
      c.registrations.queued,
      c.registrations.pending,
      c.registrations.approved,
      c.registrations.denied,
      c.registrations.cancelled,
      c.registrations.failed,
      c.registered_in_zoom,
      c.registration_rate,
      c.approval_rate,
    ]),
  };
}

export function waitsTable(summary: ReportSummary): ReportTable {
  return {
    filename: `educonnect-verify-to-approved-${day(summary.generated_at)}.csv`,
    header: ['bucket', 'min_seconds', 'max_seconds', 'approvals'],
    rows: summary.verify_to_approved.buckets.map((b) => [b.label, b.min_seconds, b.max_seconds, b.count]),
  };
}

export function failuresTable(summary: ReportSummary): ReportTable {
  return {
    filename: `educonnect-failures-by-reason-${day(summary.generated_at)}.csv`,
    header: ['failure_code', 'reason', 'registrations', 'latest_at', 'example'],
    rows: summary.failures.map((f) => [f.failure_code, failureLabel(f.failure_code), f.count, f.latest_at, f.example]),
  };
}
