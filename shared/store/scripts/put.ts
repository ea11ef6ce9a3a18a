/**
 * put — create or update one object, with its indexes and its change-log entry, atomically.
 *
 * KEYS[1]  revision counter
 * KEYS[2]  object hash (fields rv, o)
 * KEYS[3]  change log stream
 * KEYS[4 .. 3+ARGV[8]]  index sorted sets the object key leaves
 * KEYS[4+ARGV[8] ..]    index sorted sets the object key joins
 *
 * ARGV[1]  precondition: '' = the object must not exist (create); otherwise the resourceVersion it must have
 * ARGV[2]  object JSON up to its resourceVersion value; ARGV[3] the rest (object = ARGV[2] .. '"' .. rev .. '"' .. ARGV[3])
 * ARGV[4]  event type (ADDED or MODIFIED)
 * ARGV[5]  object key (resource/ns/name)
 * ARGV[6]  traceparent of the write ('' for none)
 * ARGV[7]  change-log length bound (XADD MAXLEN ~)
 * ARGV[8]  number of index keys to leave
 *
 * Returns {1, revision} on success, {0, 'exists'}, {0, 'notfound'} or {0, 'conflict', currentRv}.
 * Nothing is written when it fails: no event without a write, no write without its event.
 */
export const PUT_SCRIPT = `
local current = redis.call('HGET', KEYS[2], 'rv')
if ARGV[1] == '' then
  if current then return {0, 'exists'} end
else
  if not current then return {0, 'notfound'} end
  if current ~= ARGV[1] then return {0, 'conflict', current} end
end
local rev = redis.call('INCR', KEYS[1])
local json = ARGV[2] .. '"' .. rev .. '"' .. ARGV[3]
redis.call('HSET', KEYS[2], 'rv', tostring(rev), 'o', json)
local nleave = tonumber(ARGV[8])
for i = 4, #KEYS do
  if i < 4 + nleave then
    redis.call('ZREM', KEYS[i], ARGV[5])
  else
    redis.call('ZADD', KEYS[i], 0, ARGV[5])
  end
end
redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[7], rev .. '-0', 't', ARGV[4], 'k', ARGV[5], 'o', json, 'tp', ARGV[6])
return {1, rev}
`;
