-- The outbox (areas/outbox.c): every message to an applicant or a petitioner, queued in
-- the transaction that changed what it tells of, sent later by the sender (vets serve's
-- sender thread, or vets outbox send) outside any write transaction. The phone is sealed
-- for this row and column ("sms_outbox.phone_enc:<id>"), opened only by the sender; staff see
-- its mask. The text holds nothing sensitive.
-- A message is 待发送 until sent (已发送) or given up after its last attempt (发送失败);
-- a sender claims it by setting lease_until, so a message whose sender died is tried
-- again once the lease has passed.
CREATE TABLE sms_outbox (
	id INTEGER PRIMARY KEY,
	region_code TEXT NOT NULL DEFAULT '',
	subject TEXT NOT NULL CHECK (subject IN ('application', 'petition')),
	subject_id INTEGER NOT NULL,
	phone_enc BLOB,
	phone_mask TEXT NOT NULL DEFAULT '',  -- "138****5678", what staff see
	text TEXT NOT NULL,
	state TEXT NOT NULL DEFAULT '待发送' CHECK (state IN ('待发送', '已发送', '发送失败')),
	attempts INTEGER NOT NULL DEFAULT 0,
	queued_at INTEGER NOT NULL,
	next_at INTEGER NOT NULL,           -- not tried before (epoch seconds)
	lease_until INTEGER,                -- claimed by a sender until then
	last_error TEXT,
	last_try_at INTEGER,
	sent_at INTEGER
);
CREATE INDEX sms_outbox_due ON sms_outbox(state, next_at);
-- the staff list, newest first, all or of one state
CREATE INDEX sms_outbox_queued ON sms_outbox(queued_at);
CREATE INDEX sms_outbox_state_queued ON sms_outbox(state, queued_at);
CREATE INDEX sms_outbox_subject ON sms_outbox(subject, subject_id);
