-- Two institutions' delegated domains never overlap: a domain equal to, inside or containing
-- another institution's is refused, whoever writes it (the API, the console, an operator at psql),
-- on insert and on any update. Names are compared as stored: lowercase, no trailing dot, Unicode
-- labels in punycode (the application writes them so; the CHECK below keeps it so).
--
-- Existing data is kept as it is, overlaps included: dropping or moving a delegation here could
-- take a live site off the air or hand it to the wrong institution, which only a person may
-- decide. The trigger judges new writes only, so this migration never fails on such a database;
-- hostnames under legacy overlapping domains belong to the holder of the most specific one
-- (DnsNames.holder), checked at request, at approval and by the reconciler.

-- NOT VALID: rows written before are not checked (see above), new and changed ones are.
ALTER TABLE institution_domain ADD CONSTRAINT institution_domain_normalised
  CHECK (domain = lower(domain) AND domain NOT LIKE '%.') NOT VALID;

-- Where a name's delegation can be: the name and its parents (equality on the normalised form) ...
CREATE INDEX institution_domain_by_name ON institution_domain (lower(rtrim(domain, '.')));
-- ... and the domains inside a name: reversed, they start with the reversed name and a dot, a
-- range in bytewise (C) order.
CREATE INDEX institution_domain_by_reversed_name
  ON institution_domain ((reverse(lower(rtrim(domain, '.')))) COLLATE "C");

CREATE FUNCTION institution_domain_no_overlap() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  name     text := lower(rtrim(NEW.domain, '.'));
  labels   text[] := string_to_array(lower(rtrim(NEW.domain, '.')), '.');
  reversed text := reverse(lower(rtrim(NEW.domain, '.')));
  parents  text[];
  clash    text;
BEGIN
  -- A REPEATABLE READ snapshot would stay blind to what the previous lock holder committed.
  IF current_setting('transaction_isolation') = 'repeatable read' THEN
    RAISE EXCEPTION 'delegated domains are written under READ COMMITTED or SERIALIZABLE only';
  END IF;
  -- One writer of delegations at a time, until its commit: without it two transactions could each
  -- check before the other's row is visible and both succeed. Each statement below runs on a fresh
  -- snapshot (READ COMMITTED, volatile function), so it sees what the previous holder committed.
  PERFORM pg_advisory_xact_lock(hashtext('wingu.institution_domain'), 0);
  SELECT array_agg(array_to_string(labels[i:], '.')) INTO parents FROM generate_subscripts(labels, 1) AS i;
  SELECT d.domain INTO clash FROM institution_domain d
   WHERE d.institution_id <> NEW.institution_id
     AND (lower(rtrim(d.domain, '.')) = ANY (parents)
          OR (reverse(lower(rtrim(d.domain, '.'))) COLLATE "C" >= reversed || '.'
              AND reverse(lower(rtrim(d.domain, '.'))) COLLATE "C" < reversed || '/'))
   ORDER BY d.domain LIMIT 1;
  IF clash IS NOT NULL THEN
    RAISE EXCEPTION USING ERRCODE = 'exclusion_violation', CONSTRAINT = 'institution_domain_no_overlap',
      MESSAGE = format('%s overlaps %s, delegated to another institution', name, clash);
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER institution_domain_no_overlap BEFORE INSERT OR UPDATE OF domain, institution_id
  ON institution_domain FOR EACH ROW EXECUTE FUNCTION institution_domain_no_overlap();
