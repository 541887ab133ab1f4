-- Zoom integration: what we learn from Zoom about a webinar, and every webhook delivery, stored
-- before it is applied so that none is lost to a crash.

ALTER TABLE webinars
  ADD COLUMN registration_type integer,
  ADD COLUMN host_email text,
  -- Set when Zoom says the webinar was deleted; the row stays for history.
  ADD COLUMN deleted_in_zoom_at timestamptz;

CREATE TABLE zoom_webhook_events (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- event + event_ts + object: Zoom may deliver one event more than once (FACTS §5.5).
  dedupe_key   text NOT NULL UNIQUE,
  event        text NOT NULL,
  event_ts     bigint NOT NULL,
  payload      jsonb NOT NULL,
  received_at  timestamptz NOT NULL DEFAULT now(),
  processed_at timestamptz,
  outcome      text,
  attempts     integer NOT NULL DEFAULT 0,
  last_error   text
);
CREATE INDEX zoom_webhook_events_pending_idx ON zoom_webhook_events (id) WHERE processed_at IS NULL;
