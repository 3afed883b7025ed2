-- Access tokens revoked before they expire (POST /api/v1/auth/logout). Every replica checks a
-- presented token's id here, so a revocation holds everywhere; a row is pruned once its token
-- would have expired anyway.
CREATE TABLE revoked_token (
  jti         text PRIMARY KEY CHECK (length(jti) BETWEEN 1 AND 64),
  expires_at  timestamptz NOT NULL
);
CREATE INDEX revoked_token_expiry ON revoked_token (expires_at);

-- Failed sign-ins in a row per (username as typed, client address): repeated failures slow down
-- that address for that name only, so nobody can lock an account out from elsewhere. Unknown
-- usernames get rows too: the answers must not tell which names exist.
CREATE TABLE sign_in_failure (
  username         text NOT NULL CHECK (length(username) <= 64),
  source           text NOT NULL CHECK (length(source) <= 64),
  failures         integer NOT NULL CHECK (failures > 0),
  last_failure_at  timestamptz NOT NULL,
  PRIMARY KEY (username, source)
);
CREATE INDEX sign_in_failure_last ON sign_in_failure (last_failure_at);

-- The account-wide lock (anyone, from anywhere, could lock anyone out) is gone.
ALTER TABLE account DROP COLUMN failed_logins, DROP COLUMN locked_until;
