-- The outbox gives up on a notification that fails permanently (the mail
-- server refused the recipient or the message) after a few tries: failed_at
-- is when, and the notification is never claimed again. Staff see it on the
-- request: its applicant was not told.
ALTER TABLE notifications ADD COLUMN failed_at TEXT;
DROP INDEX notifications_pending;
CREATE INDEX notifications_pending ON notifications (created_at, id) WHERE sent_at IS NULL AND failed_at IS NULL;
