-- job-get-by-ids: the jobs with the given ids (those that exist).
-- inputs:  :ids (text[])
-- outputs: job rows, in no particular order
SELECT * FROM jobs WHERE id = ANY(:ids::text[])
