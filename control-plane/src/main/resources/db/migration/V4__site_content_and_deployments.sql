-- Website content, uploaded documents, content-addressed bundles, revisions, and each site's
-- bundle token (only its hash: the token itself lives in the tenant's Secret).

-- Immutable bytes by their SHA-256: uploaded documents and rendered bundles. A digest is stored
-- once, whoever names it; a second identical deployment stores nothing new.
CREATE TABLE content_blob (
  digest     text PRIMARY KEY CHECK (digest ~ '^[0-9a-f]{64}$'),
  bytes      bytea NOT NULL,
  size       bigint NOT NULL CHECK (size >= 0),
  created_at timestamptz NOT NULL
);
-- gzip and PDF bytes do not compress further: keep them out of line without trying.
ALTER TABLE content_blob ALTER COLUMN bytes SET STORAGE EXTERNAL;

-- Pages, news and publications a webmaster writes; the kind is the API's path segment.
CREATE TABLE site_content (
  site_id      uuid NOT NULL REFERENCES site (id),
  kind         text NOT NULL CHECK (kind IN ('pages', 'news', 'publications')),
  slug         text NOT NULL,
  title        jsonb NOT NULL,
  body         jsonb NOT NULL,
  published_at date,
  updated_at   timestamptz NOT NULL,
  updated_by   text NOT NULL,
  PRIMARY KEY (site_id, kind, slug)
);

CREATE TABLE site_document (
  id         uuid PRIMARY KEY,
  site_id    uuid NOT NULL REFERENCES site (id),
  title      jsonb NOT NULL,
  file_name  text NOT NULL,
  digest     text NOT NULL REFERENCES content_blob (digest),
  size       bigint NOT NULL,
  created_at timestamptz NOT NULL,
  created_by text NOT NULL
);
CREATE INDEX site_document_site ON site_document (site_id, created_at, id);

-- One row per deployment: revision N of a site names the bundle it serves and what it was built
-- from, so a preview or a rollback never rebuilds anything.
CREATE TABLE site_revision (
  site_id          uuid NOT NULL REFERENCES site (id),
  revision         integer NOT NULL CHECK (revision > 0),
  digest           text NOT NULL REFERENCES content_blob (digest),
  template_id      text NOT NULL,
  template_version text NOT NULL,
  parameters       jsonb NOT NULL,
  content          jsonb NOT NULL,
  created_at       timestamptz NOT NULL,
  created_by       text NOT NULL,
  PRIMARY KEY (site_id, revision)
);
-- The bundle endpoint asks "was this digest deployed to the token's site?".
CREATE INDEX site_revision_digest ON site_revision (digest, site_id);

-- A site's current revision must be one of its own revisions.
ALTER TABLE site
  ADD CONSTRAINT site_current_revision_fk FOREIGN KEY (id, current_revision)
    REFERENCES site_revision (site_id, revision),
  ADD COLUMN bundle_token_sha256 text UNIQUE CHECK (bundle_token_sha256 ~ '^[0-9a-f]{64}$');
