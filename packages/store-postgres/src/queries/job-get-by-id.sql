-- job-get-by-id: one job by its id.
-- inputs:  :id
-- outputs: the job row, or no row
SELECT * FROM jobs WHERE id = :id
