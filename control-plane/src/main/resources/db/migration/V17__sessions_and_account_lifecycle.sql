-- Sessions people can see and end: each console session gets an id a person can name, when it was
-- last seen, and the address and browser it was opened from (as the person would recognise it).
ALTER TABLE web_session
  ADD COLUMN id            uuid NOT NULL DEFAULT gen_random_uuid(),
  ADD COLUMN last_seen_at  timestamptz,
  ADD COLUMN address       text CHECK (length(address) <= 64),
  ADD COLUMN user_agent    text CHECK (length(user_agent) <= 300),
  ADD CONSTRAINT web_session_id_unique UNIQUE (id);

-- The API access tokens a person obtained by signing in (POST /auth/login), by their id (jti): the
-- token itself is a signed JWT and stays with the client; this row lets its owner see and end it.
-- Ending one puts its id in revoked_token and deletes the row.
CREATE TABLE api_session (
  id            uuid PRIMARY KEY,
  account_id    uuid NOT NULL REFERENCES account (id) ON DELETE CASCADE,
  created_at    timestamptz NOT NULL,
  expires_at    timestamptz NOT NULL CHECK (expires_at > created_at),
  last_seen_at  timestamptz,
  address       text CHECK (length(address) <= 64),
  user_agent    text CHECK (length(user_agent) <= 300)
);
CREATE INDEX api_session_account ON api_session (account_id);
CREATE INDEX api_session_expiry ON api_session (expires_at);

-- Who disabled an account: an administrator (only an administrator enables it again), or the
-- identity provider's groups (a later sign-in whose groups give a role again enables it).
ALTER TABLE account
  ADD COLUMN disabled_by      text CHECK (disabled_by IN ('admin', 'identity-provider')),
  ADD COLUMN last_sign_in_at  timestamptz;
UPDATE account SET disabled_by = 'identity-provider' WHERE disabled_at IS NOT NULL;
ALTER TABLE account
  ADD CONSTRAINT account_disabled_by_whom CHECK ((disabled_at IS NULL) = (disabled_by IS NULL));

-- A password reset an administrator issued: a one-time code, kept as a SHA-256 (it has 100 random
-- bits), that expires. One per account: a new one replaces the old; using it deletes it.
CREATE TABLE password_reset (
  account_id  uuid PRIMARY KEY REFERENCES account (id) ON DELETE CASCADE,
  code_hash   text NOT NULL CHECK (code_hash ~ '^[0-9a-f]{64}$'),
  created_by  text NOT NULL,
  created_at  timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL CHECK (expires_at > created_at)
);
