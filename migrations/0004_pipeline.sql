-- The registration pipeline: what was sent to Zoom for each registration, so that retries neither
-- lose a student nor spend Zoom's per-registrant daily budget (3 adds, 10 status changes) twice.

ALTER TABLE zoom_webinar_registrations
  ADD COLUMN payment_id          integer REFERENCES receipt_payments (id),
  ADD COLUMN occurrence_ids      text[],
  -- Set before an add request leaves; with no registrant id afterwards, the outcome is unknown and
  -- the next attempt looks the registrant up in Zoom before adding again.
  ADD COLUMN add_attempted_at    timestamptz,
  ADD COLUMN add_requests_day    text, -- UTC day (YYYY-MM-DD) the counter below is for
  ADD COLUMN add_requests        integer NOT NULL DEFAULT 0,
  ADD COLUMN status_requests_day text,
  ADD COLUMN status_requests     integer NOT NULL DEFAULT 0,
  ADD COLUMN next_attempt_at     timestamptz,
  ADD COLUMN failure_code        text,
  ADD COLUMN registered_at       timestamptz,
  ADD COLUMN cancel_requested_at timestamptz,
  ADD COLUMN cancel_reason       text;

CREATE INDEX zoom_webinar_registrations_enrollment_idx ON zoom_webinar_registrations (enrollment_id);
CREATE INDEX zoom_webinar_registrations_status_idx ON zoom_webinar_registrations (status, id);
