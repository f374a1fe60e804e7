-- 0003: who recorded a consent's revocation, and when the person revoked.
--
-- revoked_at (0001) is when the revocation was recorded. A person may
-- revoke by telling a coach on the phone on Sunday, recorded on Monday:
-- revoked_on is that Sunday (YYYY-MM-DD), revoked_by the user who recorded
-- it, revoke_note (sealed) how the person said it.
ALTER TABLE consents ADD COLUMN revoked_on TEXT;
ALTER TABLE consents ADD COLUMN revoked_by TEXT;
ALTER TABLE consents ADD COLUMN revoke_note BLOB;
