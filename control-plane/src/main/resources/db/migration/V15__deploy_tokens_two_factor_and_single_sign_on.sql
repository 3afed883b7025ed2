-- Deploy tokens: a webmaster's pipeline publishes one site with a narrow, expiring secret. Only a
-- SHA-256 of the secret is kept (the secret has 256 random bits: a leaked table opens nothing). A
-- token acts for the account that made it, so disabling or removing that account ends its tokens.
CREATE TABLE deploy_token (
  id            uuid PRIMARY KEY,
  site_id       uuid NOT NULL REFERENCES site (id),
  account_id    uuid NOT NULL REFERENCES account (id) ON DELETE CASCADE,
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  scopes        text[] NOT NULL CHECK (cardinality(scopes) > 0
                                       AND scopes <@ ARRAY['deploy', 'content:write']::text[]),
  secret_hash   text NOT NULL UNIQUE CHECK (secret_hash ~ '^[0-9a-f]{64}$'),
  created_at    timestamptz NOT NULL,
  expires_at    timestamptz NOT NULL CHECK (expires_at > created_at),
  last_used_at  timestamptz,
  revoked_at    timestamptz
);
CREATE INDEX deploy_token_site ON deploy_token (site_id, created_at, id);
CREATE INDEX deploy_token_account ON deploy_token (account_id);

-- Two-factor sign-in (TOTP, RFC 6238). The secret must be readable to check a code, so it is kept
-- as given; enrolment is pending until a first code confirms it. The last time step used is kept so
-- that a code is never accepted twice.
ALTER TABLE account
  ADD COLUMN totp_secret         text CHECK (totp_secret ~ '^[A-Z2-7]{16,128}$'),
  ADD COLUMN totp_confirmed_at   timestamptz,
  ADD COLUMN totp_last_step      bigint,
  ADD COLUMN disabled_at         timestamptz,
  ADD CONSTRAINT account_totp_confirmed_needs_secret
    CHECK (totp_confirmed_at IS NULL OR totp_secret IS NOT NULL);

-- Recovery codes: ten per enrolment, shown once, stored as hashes, each usable once.
CREATE TABLE recovery_code (
  account_id  uuid NOT NULL REFERENCES account (id) ON DELETE CASCADE,
  code_hash   text NOT NULL,
  used_at     timestamptz,
  PRIMARY KEY (account_id, code_hash)
);

-- Single sign-on: a person is the pair (issuer, subject) of the Authority's OpenID Connect
-- provider, never an e-mail address. The first sign-in makes the account and this link.
CREATE TABLE oidc_identity (
  issuer      text NOT NULL CHECK (length(issuer) BETWEEN 1 AND 500),
  subject     text NOT NULL CHECK (length(subject) BETWEEN 1 AND 255),
  account_id  uuid NOT NULL UNIQUE REFERENCES account (id) ON DELETE CASCADE,
  created_at  timestamptz NOT NULL,
  PRIMARY KEY (issuer, subject)
);

-- A sign-in under way at the provider: the browser carries the state; the PKCE verifier and the
-- nonce stay here. A row is used once (deleted by the callback) and is worthless after expiry.
CREATE TABLE oidc_sign_in (
  state          text PRIMARY KEY CHECK (length(state) BETWEEN 32 AND 128),
  code_verifier  text NOT NULL CHECK (length(code_verifier) BETWEEN 43 AND 128),
  nonce          text NOT NULL CHECK (length(nonce) BETWEEN 32 AND 128),
  next_path      text CHECK (length(next_path) <= 500),
  expires_at     timestamptz NOT NULL
);
CREATE INDEX oidc_sign_in_expiry ON oidc_sign_in (expires_at);
