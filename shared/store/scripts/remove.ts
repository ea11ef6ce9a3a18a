/**
 * remove — delete one object and its index entries, and log its DELETED event, atomically.
 *
 * KEYS[1]  revision counter
 * KEYS[2]  object hash (fields rv, o)
 * KEYS[3]  change log stream
 * KEYS[4 .. 3+ARGV[7]]  index sorted sets the object key leaves
 * KEYS[4+ARGV[7] ..]    claim pools (hashes value → owner key) whose value the object releases
 *
 * ARGV[1]  the resourceVersion the stored object must have
 * ARGV[2]  final object JSON up to its resourceVersion value; ARGV[3] the rest
 * ARGV[4]  object key (resource/ns/name)
 * ARGV[5]  traceparent of the write ('' for none)
 * ARGV[6]  change-log length bound (XADD MAXLEN ~)
 * ARGV[7]  number of index keys
 * ARGV[8 ..] the released value in each claim pool, in KEYS order (dropped only when this key owns it)
 *
 * The DELETED event carries the object with the deletion's revision as its resourceVersion,
 * as Kubernetes' watch does. Returns {1, revision}, {0, 'notfound'} or {0, 'conflict', currentRv}.
 */
export const REMOVE_SCRIPT = `
local current = redis.call('HGET', KEYS[2], 'rv')
if not current then return {0, 'notfound'} end
if current ~= ARGV[1] then return {0, 'conflict', current} end
local rev = redis.call('INCR', KEYS[1])
local json = ARGV[2] .. '"' .. rev .. '"' .. ARGV[3]
redis.call('DEL', KEYS[2])
local claims = 4 + tonumber(ARGV[7])
for i = 4, claims - 1 do
  redis.call('ZREM', KEYS[i], ARGV[4])
end
for i = claims, #KEYS do
  local value = ARGV[8 + i - claims]
  if redis.call('HGET', KEYS[i], value) == ARGV[4] then redis.call('HDEL', KEYS[i], value) end
end
redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[6], rev .. '-0', 't', 'DELETED', 'k', ARGV[4], 'o', json, 'tp', ARGV[5])
return {1, rev}
`;
