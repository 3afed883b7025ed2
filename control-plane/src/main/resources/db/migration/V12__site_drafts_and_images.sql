-- The webmaster's answers for the site's template, saved section by section before publishing:
-- one working copy per site, replaced on each save, never what the site serves.
CREATE TABLE site_parameter_draft (
  site_id     uuid PRIMARY KEY REFERENCES site (id),
  template_id text NOT NULL,
  parameters  jsonb NOT NULL,
  updated_at  timestamptz NOT NULL,
  updated_by  text NOT NULL
);

-- Images uploaded for a site's parameters (the head of institution's photo), as the server
-- re-encoded them; the bytes are in content_blob, and the site's bundle may name only its own.
CREATE TABLE site_image (
  site_id    uuid NOT NULL REFERENCES site (id),
  digest     text NOT NULL REFERENCES content_blob (digest),
  file_name  text NOT NULL,
  width      integer NOT NULL CHECK (width > 0),
  height     integer NOT NULL CHECK (height > 0),
  created_at timestamptz NOT NULL,
  created_by text NOT NULL,
  PRIMARY KEY (site_id, digest)
);
