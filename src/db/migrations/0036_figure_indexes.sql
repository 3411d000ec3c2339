-- Indexes for the year's figures, their lists and the navigation's counts, found with
-- bench/report.sh on a province-size year (8 million pay lines, a million care contacts, a
-- million applications: docs/SCALING.md, "Report and dashboard").
--
-- The pay lines of one benefit: 待安置期生活费 (placement's living_allowance_persons),
-- 义务兵家庭优待金 and 一次性入伍奖励金 are a few thousand lines a year among millions; without
-- this each of those figures read every line of the year's batches (SQLite and PostgreSQL
-- both scanned the whole table). person_id second: SQLite's statistics assume each benefit
-- holds a fifth of the lines, and only an index in the person's order (the GROUP BY of a
-- figure in 人) made it leave the batch index for this one.
CREATE INDEX pay_lines_benefit ON pay_lines(benefit_code, person_id, month);
-- The care plans the daily job found overdue: their number is on the navigation of every
-- page a care reader opens (care_overdue_count), which counted them by reading every plan.
CREATE INDEX care_plans_overdue ON care_plans(region_code, created_by)
	WHERE overdue = 1 AND ended_on IS NULL;
