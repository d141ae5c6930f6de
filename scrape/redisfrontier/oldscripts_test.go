package redisfrontier

import "github.com/redis/go-redis/v9"

// The scripts of the code before lease IDs (commit b3885fa^), copied
// as they were, so that a test can run a process of the old code beside
// this one on one job (upgrade_test.go): its leases have no ID but their
// process in the hash owner. oldPrelude is the old scripts' prelude.
const oldPrelude = `
local p = ARGV[1]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local now_us = tonumber(t[1]) * 1000000 + tonumber(t[2])
local lifo = redis.call('HGET', p..'meta', 'order') == 'depth'
local function score(it)
  if lifo then return -it.s end
  return it.d * 1e10 + it.s
end
local function drop_claims(u)
  local key = p..'claims:'..u
  for _, t in ipairs(redis.call('SMEMBERS', key)) do
    if redis.call('HGET', p..'claimer', t) == u then redis.call('HDEL', p..'claimer', t) end
  end
  redis.call('DEL', key)
end
local function undo_claims(u)
  local key = p..'claims:'..u
  for _, t in ipairs(redis.call('SMEMBERS', key)) do
    if redis.call('HGET', p..'claimer', t) == u then
      redis.call('HDEL', p..'claimer', t)
      if redis.call('HGET', p..'seen', t) == 'm' then redis.call('HDEL', p..'seen', t) end
    end
  end
  redis.call('DEL', key)
end
local function requeue_expired()
  local expired = redis.call('ZRANGEBYSCORE', p..'leases', '-inf', now, 'LIMIT', 0, 100)
  for _, u in ipairs(expired) do
    undo_claims(u)
    redis.call('ZREM', p..'leases', u)
    redis.call('HDEL', p..'owner', u)
    local raw = redis.call('HGET', p..'item', u)
    if raw then
      redis.call('ZADD', p..'queue', score(cjson.decode(raw)), u)
      redis.call('HINCRBY', p..'stats', 'refetched', 1)
      redis.call('HSET', p..'expired', u, 1) -- MarkWritten uncounts it
    end
  end
end
`

// oldPopScript: ARGV[2] process, ARGV[3] lease ms, ARGV[4] scan limit.
// Returns {URL, item}, or an empty URL.
var oldPopScript = redis.NewScript(oldPrelude + `
requeue_expired()
local low = nil
local undone = redis.call('HGETALL', p..'undone')
for i = 1, #undone, 2 do
  if tonumber(undone[i+1]) > 0 then
    local d = tonumber(undone[i])
    if low == nil or d < low then low = d end
  end
end
local skip = {}
for i = 5, #ARGV do skip[ARGV[i]] = true end
local wait = -1
for _, u in ipairs(redis.call('ZRANGE', p..'queue', 0, tonumber(ARGV[4]) - 1)) do
  local raw = redis.call('HGET', p..'item', u)
  local it = cjson.decode(raw)
  if not lifo and low ~= nil and it.d > low + 1 then break end
  if not skip[it.h] then
    if it.nb ~= nil and it.nb > now then
      if wait < 0 or it.nb - now < wait then wait = it.nb - now end
    else
      redis.call('ZREM', p..'queue', u)
      redis.call('ZADD', p..'leases', now + tonumber(ARGV[3]), u)
      redis.call('HSET', p..'owner', u, ARGV[2])
      return {u, raw}
    end
  end
end
return {'', tostring(wait), redis.call('ZCARD', p..'queue'), redis.call('ZCARD', p..'leases')}
`)

// oldRenewScript: ARGV[2] process, ARGV[3] lease ms, ARGV[4] heartbeat
// retention ms, ARGV[5..] URLs. Returns how many leases it still held.
var oldRenewScript = redis.NewScript(oldPrelude + `
redis.call('ZADD', p..'procs', now, ARGV[2])
redis.call('ZREMRANGEBYSCORE', p..'procs', '-inf', now - tonumber(ARGV[4]))
local held = 0
for i = 5, #ARGV do
  if redis.call('HGET', p..'owner', ARGV[i]) == ARGV[2] then
    redis.call('ZADD', p..'leases', 'XX', now + tonumber(ARGV[3]), ARGV[i])
    held = held + 1
  end
end
return held
`)

// oldAckScript: ARGV[2] URL, ARGV[3] outcome (d or f). Returns 0 for a URL
// already settled.
var oldAckScript = redis.NewScript(oldPrelude + `
local u = ARGV[2]
redis.call('ZREM', p..'leases', u)
redis.call('HDEL', p..'owner', u)
if redis.call('HGET', p..'seen', u) ~= 'q' then
  redis.call('HINCRBY', p..'stats', 'late_acks', 1)
  return 0
end
redis.call('ZREM', p..'queue', u)
local raw = redis.call('HGET', p..'item', u)
if raw then
  redis.call('HINCRBY', p..'undone', cjson.decode(raw).d, -1)
  redis.call('HDEL', p..'item', u)
end
redis.call('HSET', p..'seen', u, ARGV[3])
redis.call('HDEL', p..'expired', u)
drop_claims(u)
if ARGV[3] == 'f' then
  redis.call('HINCRBY', p..'stats', 'failed', 1)
else
  redis.call('HINCRBY', p..'stats', 'done', 1)
end
redis.call('HSET', p..'stats', 'last', now)
return 1
`)
