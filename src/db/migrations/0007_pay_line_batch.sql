-- A line belongs to its batch by pay_lines.batch_id (NOT NULL, a foreign key), never
-- by a range of ids: after a batch was sent back (退回) and its lines deleted, SQLite
-- gave the ids of those lines to the next batch's lines, and a batch that named its
-- lines by first_line..last_line claimed them a second time.
--
-- A batch's lines through this index: its page and bank file in line order (the
-- explicit id keeps that order on a server database too), its totals, its 退回.
CREATE INDEX pay_lines_batch ON pay_lines(batch_id, id);
ALTER TABLE pay_batches DROP COLUMN first_line;
ALTER TABLE pay_batches DROP COLUMN last_line;
-- The kept totals again from the lines each batch owns: a batch sent back owns none.
UPDATE pay_batches SET
	lines = (SELECT count(*) FROM pay_lines l WHERE l.batch_id = pay_batches.id),
	amount_fen = (SELECT coalesce(sum(l.amount_fen), 0) FROM pay_lines l
		WHERE l.batch_id = pay_batches.id),
	paid_lines = (SELECT count(*) FROM pay_lines l WHERE l.batch_id = pay_batches.id
		AND l.status = '已发'),
	failed_lines = (SELECT count(*) FROM pay_lines l WHERE l.batch_id = pay_batches.id
		AND l.status = '失败');
