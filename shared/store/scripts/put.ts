/**
 * put — create or update one object, with its indexes and its change-log entry, atomically.
 *
 * KEYS[1]  revision counter
 * KEYS[2]  object hash (fields rv, o)
 * KEYS[3]  change log stream
 * KEYS[4 .. 3+ARGV[8]]           index sorted sets the object key leaves
 * KEYS[4+ARGV[8] .. 3+ARGV[9]]    index sorted sets the object key joins
 * KEYS[4+ARGV[9] ..]              claim pools (hashes value → owner key): ARGV[10] to take, then the ones to release
 *
 * ARGV[1]  precondition: '' = the object must not exist (create); otherwise the resourceVersion it must have
 * ARGV[2]  object JSON up to its resourceVersion value; ARGV[3] the rest (object = ARGV[2] .. '"' .. rev .. '"' .. ARGV[3])
 * ARGV[4]  event type (ADDED or MODIFIED)
 * ARGV[5]  object key (resource/ns/name)
 * ARGV[6]  traceparent of the write ('' for none)
 * ARGV[7]  change-log length bound (XADD MAXLEN ~)
 * ARGV[8]  number of index keys to leave
 * ARGV[9]  number of index keys (leave and join)
 * ARGV[10] number of claims to take
 * ARGV[11 ..] the claimed value in each claim pool, in KEYS order
 *
 * A claim is taken when its value is free or already owned by this object key; a release only
 * drops values this key owns. Returns {1, revision} on success, {0, 'exists'}, {0, 'notfound'},
 * {0, 'conflict', currentRv} or {0, 'claimed', i} (the i-th claim, from 0, is owned by another key).
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
local nindex = tonumber(ARGV[9])
local ntake = tonumber(ARGV[10])
local claims = 4 + nindex
for i = 0, ntake - 1 do
  local owner = redis.call('HGET', KEYS[claims + i], ARGV[11 + i])
  if owner and owner ~= ARGV[5] then return {0, 'claimed', i} end
end
local rev = redis.call('INCR', KEYS[1])
local json = ARGV[2] .. '"' .. rev .. '"' .. ARGV[3]
redis.call('HSET', KEYS[2], 'rv', tostring(rev), 'o', json)
local nleave = tonumber(ARGV[8])
for i = 4, claims - 1 do
  if i < 4 + nleave then
    redis.call('ZREM', KEYS[i], ARGV[5])
  else
    redis.call('ZADD', KEYS[i], 0, ARGV[5])
  end
end
for i = claims, #KEYS do
  local value = ARGV[11 + i - claims]
  if i < claims + ntake then
    redis.call('HSET', KEYS[i], value, ARGV[5])
  elseif redis.call('HGET', KEYS[i], value) == ARGV[5] then
    redis.call('HDEL', KEYS[i], value)
  end
end
redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[7], rev .. '-0', 't', ARGV[4], 'k', ARGV[5], 'o', json, 'tp', ARGV[6])
return {1, rev}
`;
