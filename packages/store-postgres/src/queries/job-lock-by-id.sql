-- job-lock-by-id: one job by its id, row-locked until the transaction ends, so a nack decides
-- on a row nobody else can change meanwhile.
-- inputs:  :id
-- outputs: the job row, or no row
SELECT * FROM jobs WHERE id = :id FOR UPDATE
