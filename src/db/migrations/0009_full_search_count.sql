-- A search of the registry by a whole 身份证号 or phone number is audited
-- ("person.search_full") and limited per user and day: the day's count is read from
-- the audit trail through this index.
CREATE INDEX audit_log_action_actor ON audit_log(action, actor_id, at);
