-- Notifications for reminders, assignments, mentions and approvals, in the app and by
-- email, as each user chooses. Keep in step with ../sqlite/0017_notifications.sql.

-- What the message is made of (a task's title, who acted), so pages and emails word it in
-- the reader's language; the stored message is the English fallback.
ALTER TABLE notifications ADD COLUMN params JSONB;
-- The email of this notification: NULL (none), queued, sent or failed.
ALTER TABLE notifications ADD COLUMN email_state TEXT;
-- Why the last try to send it failed.
ALTER TABLE notifications ADD COLUMN email_error TEXT;
-- The bell counts these on every page.
CREATE INDEX notifications_unread ON notifications (user_id, id) WHERE read_at IS NULL;
-- Administrators list the emails that could not be sent.
CREATE INDEX notifications_email_failed ON notifications (id) WHERE email_state = 'failed';

-- The reminder instant a task was last reminded for. The reminder job clears `remind_at`
-- when it delivers (so its index range holds only reminders still to send) and keeps the
-- instant here, so an edit that leaves the reminder where it was does not send it again.
ALTER TABLE tasks ADD COLUMN reminded_for TIMESTAMPTZ;

-- How each user wants to hear of each kind of event; no row: in the app and by email.
CREATE TABLE notification_preferences (
    user_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- reminder, assignment, mention or approval
    kind TEXT NOT NULL,
    in_app BOOLEAN NOT NULL,
    email BOOLEAN NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, kind)
);
