-- A batch pays into the accounts its checkers approved: the accounts as they were when it
-- was generated. A batch keeps the newest person_history row at its generation
-- (history_mark); a change of 银行账号 keeps the account it replaced, sealed to the person
-- (person_history.old_enc; 开户银行 is plain in old_value). The bank file reads a person's
-- account and bank as of the mark: the old value of the first change after it, else the
-- current one. Before, the bank file read the account when it was exported, so an
-- account changed after approval (by a station, say) received money that three people
-- had signed for another. The next batch's checkers are shown the changes between the
-- previous approved batch's mark and its own. Batches written before this count as
-- generated now.
ALTER TABLE person_history ADD COLUMN old_enc BLOB;
ALTER TABLE pay_batches ADD COLUMN history_mark INTEGER NOT NULL DEFAULT 0;
UPDATE pay_batches SET history_mark = (SELECT coalesce(max(id), 0) FROM person_history);
