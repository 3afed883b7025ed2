-- E-mail notifications: where and in which language a person is written to, what each person chose
-- not to receive, and the outbox. A notification row is written in the same transaction as the
-- change that causes it; a sender claims due rows (FOR UPDATE SKIP LOCKED), marks them 'sending'
-- with a lease, delivers them over SMTP and marks them 'sent'. A row left 'sending' by a process
-- that died is claimed again once its lease has run out, with the same Message-ID.

-- no CR or LF: an address goes into a mail header
ALTER TABLE account
  ADD COLUMN email text CHECK (length(email) <= 254 AND email !~ '[\r\n]'),
  ADD COLUMN language text NOT NULL DEFAULT 'sw' CHECK (language IN ('sw', 'en'));

CREATE TABLE notification (
  id              uuid PRIMARY KEY,
  seq             bigserial NOT NULL UNIQUE,             -- the order mails go out in
  kind            text NOT NULL CHECK (kind ~ '^[a-z0-9-]{1,40}$'),
  account_id      uuid REFERENCES account (id) ON DELETE CASCADE, -- null: an institution's contact address
  institution_id  uuid REFERENCES institution (id),
  recipient       text NOT NULL CHECK (length(recipient) <= 254),
  language        text NOT NULL CHECK (language IN ('sw', 'en')),
  subject         text NOT NULL CHECK (length(subject) <= 998),
  body_text       text NOT NULL,
  body_html       text NOT NULL,
  message_id      text NOT NULL UNIQUE,
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  lease_until     timestamptz,
  sent_at         timestamptz,
  sent_by         text,
  last_error      text,
  created_at      timestamptz NOT NULL
);
-- the sender's claim: due rows in order
CREATE INDEX notification_due ON notification (seq) WHERE status IN ('pending', 'sending');
-- a person's notifications, newest first
CREATE INDEX notification_account ON notification (account_id, created_at DESC, id DESC);

-- a person's choice for one kind; a kind without a row is on
CREATE TABLE notification_preference (
  account_id uuid NOT NULL REFERENCES account (id) ON DELETE CASCADE,
  kind       text NOT NULL,
  enabled    boolean NOT NULL,
  PRIMARY KEY (account_id, kind)
);

-- kinds an operator made mandatory: nobody can turn them off
CREATE TABLE notification_mandatory (
  kind text PRIMARY KEY
);
INSERT INTO notification_mandatory (kind) VALUES ('site-suspended'), ('site-decommissioned');
