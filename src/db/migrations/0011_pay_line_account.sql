-- The account (and bank) a line pays into is the one the batch was generated, reviewed
-- and approved with: a copy of the person's sealed account (persons.account_enc, still
-- bound to the person) and bank taken at generation. Before, the bank file read the
-- person's account when it was exported, so an account changed after approval (by a
-- station, say) received money that three people had signed for another. Batches
-- written before this keep no copy (accounts_kept = 0): their bank file reads the
-- person's account as it did.
ALTER TABLE pay_lines ADD COLUMN account_enc BLOB;
ALTER TABLE pay_lines ADD COLUMN bank_name TEXT;
ALTER TABLE pay_batches ADD COLUMN accounts_kept INTEGER NOT NULL DEFAULT 0;
-- The newest person_history row when the batch took its copy: its checkers are shown
-- the account changes after the previous batch's mark and up to this one. Batches
-- written before this count as having seen everything so far.
ALTER TABLE pay_batches ADD COLUMN history_mark INTEGER NOT NULL DEFAULT 0;
UPDATE pay_batches SET history_mark = (SELECT coalesce(max(id), 0) FROM person_history);
