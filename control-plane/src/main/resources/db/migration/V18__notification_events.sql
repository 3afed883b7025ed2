-- Notifications the platform writes on a schedule (the operators' daily digest, the monthly
-- reminder of an ICT register review overdue) carry a key naming the person and the period; a
-- second pass, on this replica or another, finds the key taken and writes nothing: each goes out
-- once. Mails that follow a change have no key (the change's transaction writes them once).
ALTER TABLE notification ADD COLUMN dedup_key text CHECK (length(dedup_key) <= 200);
CREATE UNIQUE INDEX notification_dedup ON notification (dedup_key) WHERE dedup_key IS NOT NULL;

-- a failed backup is a mandatory notification: nobody turns it off
INSERT INTO notification_mandatory (kind) VALUES ('backup-failed');
