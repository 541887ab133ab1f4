-- Notifications: channels, deliveries, preferences, live-stream tickets, broadcasts.

-- in_app = false: the user turned this type off in the app; the row still carries the email.
ALTER TABLE notifications
  ADD COLUMN in_app boolean NOT NULL DEFAULT true,
  ADD COLUMN action_url text;

-- The inbox reads newest first by id, and counts only unread rows: both stay index-only work
-- however many notifications a user has.
DROP INDEX notifications_user_list_idx;
DROP INDEX notifications_user_unread_idx;
CREATE INDEX notifications_inbox_idx ON notifications (user_id, id DESC) WHERE in_app;
CREATE INDEX notifications_unread_idx ON notifications (user_id, id DESC) WHERE in_app AND read_at IS NULL;
CREATE INDEX notifications_read_at_idx ON notifications (read_at) WHERE read_at IS NOT NULL;

CREATE TABLE notification_deliveries (
  id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  notification_id     bigint NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
  channel             text NOT NULL CHECK (channel IN ('email')),
  recipient           text NOT NULL,
  status              text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'skipped')),
  attempts            integer NOT NULL DEFAULT 0,
  last_error          text,
  provider_message_id text,
  sent_at             timestamptz,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now(),
  -- One email per notification, however often it is asked for.
  UNIQUE (notification_id, channel)
);
CREATE INDEX notification_deliveries_status_idx ON notification_deliveries (status, id);

CREATE TABLE notification_preferences (
  user_id    integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  type       text NOT NULL,
  channel    text NOT NULL CHECK (channel IN ('in_app', 'email')),
  enabled    boolean NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, type, channel)
);

-- Single-use tickets for EventSource, which cannot send an Authorization header. Only a hash is kept.
CREATE TABLE stream_tickets (
  ticket_hash text PRIMARY KEY,
  user_id     integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz
);
CREATE INDEX stream_tickets_expiry_idx ON stream_tickets (expires_at);

CREATE TABLE broadcasts (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  idempotency_key text NOT NULL UNIQUE,
  actor_id        integer REFERENCES users (id),
  class_id        integer REFERENCES classes (id),
  title           text NOT NULL,
  message         text NOT NULL,
  channels        text[] NOT NULL,
  recipients      integer NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now()
);
