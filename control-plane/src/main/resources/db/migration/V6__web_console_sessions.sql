-- Sessions of the web console. Kept in PostgreSQL so that they survive a restart and work on
-- every replica. Only a SHA-256 of the cookie's value is stored: a leaked table opens no session.
CREATE TABLE web_session (
  token_hash  text PRIMARY KEY CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  account_id  uuid NOT NULL REFERENCES account (id) ON DELETE CASCADE,
  csrf_token  text NOT NULL,
  created_at  timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL
);

CREATE INDEX web_session_expiry ON web_session (expires_at);
CREATE INDEX web_session_account ON web_session (account_id);
