-- keys: every key of the deployment, derived from KEYS[1], the deployment's key base `{<prefix>}`.
-- All keys start with that hash tag, so they live in one Redis Cluster slot (see key-layout.ts).
-- Suffixes never contain ':', so a queue, job or worker name with ':' cannot collide with another key.
local BASE = KEYS[1]
local QUEUES = BASE .. ':queues'
local SEQ = BASE .. ':seq'
local SCHEMA = BASE .. ':schema'
local DELAYED = BASE .. ':delayed'
local ACTIVE = BASE .. ':active'
local EXPIRY = BASE .. ':expiry'
local WORKERS = BASE .. ':workers'
local TOKENS = BASE .. ':tokens'
local TOKEN_USE = BASE .. ':token-use'

local function job_key(id) return BASE .. ':job:' .. id end
-- A job's attempt history: a capped list of JSON entries, oldest first (settle.lua's nack_job).
local function attempts_key(id) return BASE .. ':attempts:' .. id end
local function queue_key(queue) return BASE .. ':queue:' .. queue end
-- A per-queue index: all, waiting, delayed, active, completed, completed-by-time, dead,
-- dead-by-time, dedup.
local function qkey(queue, index) return BASE .. ':q:' .. queue .. ':' .. index end
local function worker_key(id) return BASE .. ':worker:' .. id end
local function worker_active_key(id) return BASE .. ':wactive:' .. id end
