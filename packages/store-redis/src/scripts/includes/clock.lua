-- clock: the time an operation runs at. In 'backend' mode it is Redis TIME (ms), and SHIFT is how
-- far the caller's clock is behind it, added to every absolute time the caller sent; in 'caller'
-- mode the caller's `now` is used as is (tests on a manual clock).
local function resolve_clock(caller_now, mode)
  if mode ~= 'backend' then return caller_now, 0 end
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  return now, now - caller_now
end
