/**
 * Trims the trace index to its newest traces and deletes the span lists of the others.
 *
 * KEYS[1]  trace index (ZSET trace id → last activity, unix ms)
 * ARGV[1]  number of traces kept
 * ARGV[2]  key prefix of span lists (`<prefix>:spans:trace:`), in KEYS[1]'s hash slot
 * Returns the number of traces removed.
 */
export const TRIM_TRACES = `
local excess = redis.call('ZCARD', KEYS[1]) - tonumber(ARGV[1])
if excess <= 0 then return 0 end
local ids = redis.call('ZRANGE', KEYS[1], 0, excess - 1)
for i = 1, #ids, 500 do
  local keys = {}
  for j = i, math.min(i + 499, #ids) do keys[#keys + 1] = ARGV[2] .. ids[j] end
  redis.call('UNLINK', unpack(keys))
end
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, excess - 1)
return excess
`;
