package redisfrontier

import "github.com/redis/go-redis/v9"

// prelude starts every script: the key prefix is ARGV[1]; now is Redis's
// clock in milliseconds (now_us in microseconds, for the per-host gap, where
// rounding to milliseconds could grant a start up to 1 ms early);
// requeue_expired hands expired leases back, undoing their redirect claims
// (undo_claims; drop_claims forgets an acked lease's claims). Each lease
// has an ID of its own (the hash lease_id, URL → ID, set by popScript):
// other_lease(u, id) is true when u is leased under another ID, that is,
// the lease with ID id expired and was handed out again, so that its late
// end must leave the new one alone. A lease with a field in the hash owner
// (URL → process) was handed out by the code before lease IDs, in a job
// that began with it and still has processes running it: it is that
// process's, which renews and ends it by owner with its own scripts, so
// other_lease is true of it for every ID and holds(u, id), the renewal's
// test, false; requeue_expired and popScript drop the field. lifo is true in a depth-first job
// (meta order "depth"): the queue's score is then the sequence negated,
// newest first, and depths are neither gated nor lowered.
const prelude = `
local p = ARGV[1]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local now_us = tonumber(t[1]) * 1000000 + tonumber(t[2])
local lifo = redis.call('HGET', p..'meta', 'order') == 'depth'
local function score(it)
  if lifo then return -it.s end
  return it.d * 1e10 + it.s
end
local function other_lease(u, id)
  if redis.call('HEXISTS', p..'owner', u) == 1 then return true end
  local cur = redis.call('HGET', p..'lease_id', u)
  return cur and cur ~= id
end
local function holds(u, id)
  return redis.call('HGET', p..'lease_id', u) == id and redis.call('HEXISTS', p..'owner', u) == 0
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
    redis.call('HDEL', p..'lease_id', u)
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

// pushScript: ARGV[2..] are URL, item JSON pairs. Returns {added, duplicates}.
var pushScript = redis.NewScript(prelude + `
local added, dups = 0, 0
for i = 2, #ARGV, 2 do
  local u = ARGV[i]
  local it = cjson.decode(ARGV[i+1])
  if redis.call('HSETNX', p..'seen', u, 'q') == 1 then
    it.s = redis.call('INCR', p..'seq')
    redis.call('HSET', p..'item', u, cjson.encode(it))
    redis.call('ZADD', p..'queue', score(it), u)
    redis.call('HINCRBY', p..'undone', it.d, 1)
    added = added + 1
  else
    dups = dups + 1
    if not lifo and redis.call('ZSCORE', p..'queue', u) then
      local old = cjson.decode(redis.call('HGET', p..'item', u))
      if it.d < old.d then
        redis.call('HINCRBY', p..'undone', old.d, -1)
        redis.call('HINCRBY', p..'undone', it.d, 1)
        old.d, old.r = it.d, it.r
        old.s = redis.call('INCR', p..'seq')
        redis.call('HSET', p..'item', u, cjson.encode(old))
        redis.call('ZADD', p..'queue', score(old), u)
      end
    end
  end
end
if dups > 0 then redis.call('HINCRBY', p..'stats', 'duplicates', dups) end
return {added, dups}
`)

// markSeenScript: ARGV[2] URL, ARGV[3] the leased URL claiming it. Returns
// 1 if it was not seen.
var markSeenScript = redis.NewScript(prelude + `
local ok = redis.call('HSETNX', p..'seen', ARGV[2], 'm')
if ok == 0 then
  redis.call('HINCRBY', p..'stats', 'duplicates', 1)
  return 0
end
redis.call('HSET', p..'claimer', ARGV[2], ARGV[3])
redis.call('SADD', p..'claims:'..ARGV[3], ARGV[2])
return 1
`)

// unmarkScript: ARGV[2] URL, ARGV[3] the leased URL that claimed it (empty:
// any), ARGV[4] that lease's ID. Forgets a URL that markSeenScript marked,
// and its claim, unless it is not that lease's claim (any longer).
var unmarkScript = redis.NewScript(prelude + `
local u = ARGV[2]
if redis.call('HGET', p..'seen', u) ~= 'm' then return 0 end
local by = redis.call('HGET', p..'claimer', u)
if ARGV[3] ~= '' and (by ~= ARGV[3] or other_lease(by, ARGV[4])) then return 0 end
if by then
  redis.call('SREM', p..'claims:'..by, u)
  redis.call('HDEL', p..'claimer', u)
end
return redis.call('HDEL', p..'seen', u)
`)

// popScript: ARGV[2] process, ARGV[3] lease ms, ARGV[4] scan limit,
// ARGV[5..] hosts to skip. Leases the first due request of an allowed depth
// on a host not skipped, under a new lease ID (dropping an owner left by
// an earlier lease). Returns {URL, item, lease
// ID}, or an empty URL, wait ms, queued, leased (wait -1: none known).
var popScript = redis.NewScript(prelude + `
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
      local id = redis.call('INCR', p..'lease_seq')
      redis.call('HSET', p..'lease_id', u, id)
      redis.call('HDEL', p..'owner', u)
      return {u, raw, id}
    end
  end
end
return {'', tostring(wait), redis.call('ZCARD', p..'queue'), redis.call('ZCARD', p..'leases')}
`)

// unleaseScript: ARGV[2] URL, ARGV[3] lease ID. Puts a leased request
// back in its place, unless that lease was handed out again.
var unleaseScript = redis.NewScript(prelude + `
local u = ARGV[2]
if other_lease(u, ARGV[3]) then return 0 end
if redis.call('ZREM', p..'leases', u) == 0 then return 0 end
redis.call('HDEL', p..'lease_id', u)
local raw = redis.call('HGET', p..'item', u)
if raw then redis.call('ZADD', p..'queue', score(cjson.decode(raw)), u) end
return 1
`)

// retryScript: ARGV[2] URL, ARGV[3] delay ms, ARGV[4] lease ID. Queues a
// leased request again with its attempt count one higher, not before now +
// delay, unless that lease was handed out again.
var retryScript = redis.NewScript(prelude + `
local u = ARGV[2]
local raw = redis.call('HGET', p..'item', u)
if not raw or redis.call('HGET', p..'seen', u) ~= 'q' or other_lease(u, ARGV[4]) then return 0 end
redis.call('ZREM', p..'leases', u)
redis.call('HDEL', p..'lease_id', u)
local it = cjson.decode(raw)
it.a = (it.a or 0) + 1
it.nb = now + tonumber(ARGV[3])
redis.call('HSET', p..'item', u, cjson.encode(it))
redis.call('ZADD', p..'queue', score(it), u)
return 1
`)

// ackScript: ARGV[2] URL, ARGV[3] outcome (d or f), ARGV[4] lease ID.
// Settles a URL once; returns 0, a late ack, for a URL already settled or
// leased again under another ID (whose lease and claims stay).
var ackScript = redis.NewScript(prelude + `
local u = ARGV[2]
if redis.call('HGET', p..'seen', u) ~= 'q' or other_lease(u, ARGV[4]) then
  redis.call('HINCRBY', p..'stats', 'late_acks', 1)
  return 0
end
redis.call('ZREM', p..'leases', u)
redis.call('HDEL', p..'lease_id', u)
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

// renewScript: ARGV[2] process, ARGV[3] lease ms, ARGV[4] heartbeat
// retention ms, ARGV[5..] URL, lease ID pairs. Extends the leases this
// process still holds under those IDs (holds) and records its heartbeat. Returns
// how many leases it still held.
var renewScript = redis.NewScript(prelude + `
redis.call('ZADD', p..'procs', now, ARGV[2])
redis.call('ZREMRANGEBYSCORE', p..'procs', '-inf', now - tonumber(ARGV[4]))
local held = 0
for i = 5, #ARGV, 2 do
  if holds(ARGV[i], ARGV[i+1]) then
    redis.call('ZADD', p..'leases', 'XX', now + tonumber(ARGV[3]), ARGV[i])
    held = held + 1
  end
end
return held
`)

// countsScript: ARGV[2] heartbeat window ms (0: three times the job's
// lease timeout, 30 s if none was recorded). Returns {queued, leased, seen,
// processes, started, now}, the stats hash as a flat list, and the window.
var countsScript = redis.NewScript(prelude + `
requeue_expired()
local window = tonumber(ARGV[2])
if window <= 0 then
  window = 3 * tonumber(redis.call('HGET', p..'meta', 'lease') or '30000')
end
return {
  redis.call('ZCARD', p..'queue'),
  redis.call('ZCARD', p..'leases'),
  redis.call('HLEN', p..'seen'),
  redis.call('ZCOUNT', p..'procs', now - window, '+inf'),
  redis.call('HGET', p..'meta', 'started') or '0',
  tostring(now),
  redis.call('HGETALL', p..'stats'),
  window,
}
`)

// acquireScript: ARGV[2] host, ARGV[3] per-host slots, ARGV[4] delay ms,
// ARGV[5] slot token, ARGV[6] slot ttl ms, ARGV[7] AutoThrottle's start
// delay ms (0: off; else the host's adapted delay counts too). Returns {1, 0} when it took a
// slot, {0, wait ms} when the gap has not passed, {0, -1} when every slot is
// taken.
var acquireScript = redis.NewScript(prelude + `
local h = ARGV[2]
local slots = p..'slots:'..h
redis.call('ZREMRANGEBYSCORE', slots, '-inf', now)
if redis.call('ZCARD', slots) >= tonumber(ARGV[3]) then return {0, -1} end
local gap = tonumber(ARGV[4])
local cd = tonumber(redis.call('HGET', p..'delay', h) or '0')
if cd > gap then gap = cd end
if tonumber(ARGV[7] or '0') > 0 then
  local at = tonumber(redis.call('HGET', p..'athrottle', h) or ARGV[7])
  if at > gap then gap = at end
end
local last = tonumber(redis.call('GET', p..'lastus:'..h) or '0')
local short = gap * 1000 - (now_us - last)
if short > 0 then return {0, math.ceil(short / 1000)} end
redis.call('ZADD', slots, now + tonumber(ARGV[6]), ARGV[5])
redis.call('PEXPIRE', slots, tonumber(ARGV[6]))
redis.call('SET', p..'lastus:'..h, string.format('%.0f', now_us), 'PX', gap + 60000)
return {1, 0}
`)

// renewSlotsScript: ARGV[2] ttl ms, ARGV[3..] host, token pairs.
var renewSlotsScript = redis.NewScript(prelude + `
for i = 3, #ARGV, 2 do
  local slots = p..'slots:'..ARGV[i]
  redis.call('ZADD', slots, 'XX', now + tonumber(ARGV[2]), ARGV[i+1])
  redis.call('PEXPIRE', slots, tonumber(ARGV[2]))
end
return 1
`)

// releaseSlotScript: ARGV[2] host, ARGV[3] token.
var releaseSlotScript = redis.NewScript(prelude + `
return redis.call('ZREM', p..'slots:'..ARGV[2], ARGV[3])
`)

// setDelayScript: ARGV[2] host, ARGV[3] Crawl-delay ms.
var setDelayScript = redis.NewScript(prelude + `
return redis.call('HSET', p..'delay', ARGV[2], ARGV[3])
`)
