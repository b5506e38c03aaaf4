-- codec: numbers as decimal text, sort keys as fixed-width lowercase hex (so byte order is numeric
-- order in ZRANGEBYLEX), and the nullable argument forms the TypeScript side sends.
local TIME_OFFSET = 281474976710656 -- 2^48: times from -2^48 to 2^52 ms encode in 14 hex digits
local PRIORITY_OFFSET = 2147483648 -- 2^31: a higher priority gets a smaller key
local SORT_KEY_TIME = 14
local SORT_KEY_PRIORITY = 8
local SORT_KEY_SEQ = 14

local function int(n) return string.format('%d', n) end
local function hex_time(t) return string.format('%014x', t + TIME_OFFSET) end
local function hex_seq(seq) return string.format('%014x', seq) end
local function hex_priority(priority) return string.format('%08x', PRIORITY_OFFSET - priority) end
local function unhex_time(text) return tonumber(text, 16) - TIME_OFFSET end

-- '' is null; anything else is '+' followed by the text.
local function opt_text(arg)
  if arg == '' then return nil end
  return string.sub(arg, 2)
end

-- '' is null; anything else is a decimal integer.
local function opt_int(arg)
  if arg == '' then return nil end
  return tonumber(arg)
end
