-- 0002: the follow-up plan of a case.
--
-- checkin_plan is the days after placement at which check-ins fall due
-- ("1,3,7,14,30,60,90,180,365"), fixed when the person is placed so that a
-- later change of the program's defaults does not move anyone's dates.
ALTER TABLE cases ADD COLUMN checkin_plan TEXT;
