import { RedisScript } from '../redis';

/**
 * Admission of a batch of calls in one round trip and one script run. Each
 * call: quota, then rate, then counting the quota taken and the refusals
 * (quota first: when it is used up, retrying in a second will not help).
 * Billable calls are not counted here but by the meter, once the call is
 * over (see `billing.ts`). Calls are decided one after the
 * other, in order, inside the atomic script, so a batch is exactly as strict
 * as single calls.
 *
 * Each key is read at most once per run and written at most once at its
 * end: a hot key's calls are decided against the script's own copy of its
 * state (the TAT, the quota used, the counts), which ends in Redis exactly
 * as the same calls one by one would have left it (same values, same
 * expiries, the same "first write sets the TTL" rules). Nothing else runs
 * while a script does, so nobody sees the difference, but a batch of 100
 * calls on one key costs 5 Redis commands instead of 300.
 *
 * Calls on the same key at the same millisecond come as one group with a
 * count, decided one after the other like separate calls.
 *
 * ARGV[1] bucket TTL s; ARGV[2] groups in the batch; ARGV[3] how long a
 * quota counter outlives its month, ms.
 * Per group g (0-based): KEYS[3g+1] rate key, KEYS[3g+2] quota key,
 * KEYS[3g+3] usage bucket (same cluster slot); ARGV[4+6g..9+6g]: now ms,
 * emission interval µs, burst, quota (-1 none), quota period end ms, calls.
 * Reply, 6 integers per call, group after group: allowed, reason (0, 1 rate,
 * 2 quota), limit, remaining, resetMs, retryAfterMs.
 */
export const LIMITER_SCRIPT = new RedisScript(`
local bucketTtl = ARGV[1]
local groups = tonumber(ARGV[2])
local grace = tonumber(ARGV[3])
local out = {}

-- This run's view of each key, read on first use.
local tats = {}
local rateTtl = {}
local rateKeys = {}
local used = {}
local quotaAdded = {}
local quotaExpire = {}
local quotaKeys = {}
local counts = {}
local buckets = {}
local FIELDS = {'rate_limited', 'quota_exceeded'}

local function count(bucket, field)
  local c = counts[bucket]
  if c == nil then
    c = {rate_limited = 0, quota_exceeded = 0}
    counts[bucket] = c
    buckets[#buckets + 1] = bucket
  end
  c[field] = c[field] + 1
end

local function admit(rateKey, quotaKey, bucket, nowMs, interval, burst, quota, quotaEnd)
  local now = nowMs * 1000
  local tau = interval * burst

  local u = 0
  if quota >= 0 then
    u = used[quotaKey]
    if u == nil then
      u = tonumber(redis.call('GET', quotaKey) or '0')
      used[quotaKey] = u
    end
    if u >= quota then
      count(bucket, 'quota_exceeded')
      return 0, 2, quota, 0, quotaEnd - nowMs, quotaEnd - nowMs
    end
  end

  local tat = tats[rateKey]
  if tat == nil then
    tat = tonumber(redis.call('GET', rateKey) or '0')
    tats[rateKey] = tat
  end
  if tat < now then tat = now end
  local newTat = tat + interval
  if newTat - now > tau then
    count(bucket, 'rate_limited')
    return 0, 1, burst, 0, math.ceil((tat - now) / 1000), math.ceil((newTat - tau - now) / 1000)
  end
  if rateTtl[rateKey] == nil then rateKeys[#rateKeys + 1] = rateKey end
  tats[rateKey] = newTat
  rateTtl[rateKey] = math.ceil((newTat - now) / 1000) + 1

  local limit = burst
  local remaining = math.floor((tau - (newTat - now)) / interval)
  local resetMs = math.ceil((newTat - now) / 1000)
  if quota >= 0 then
    if quotaAdded[quotaKey] == nil then
      quotaAdded[quotaKey] = 0
      quotaExpire[quotaKey] = quotaEnd + grace
      quotaKeys[#quotaKeys + 1] = quotaKey
    end
    quotaAdded[quotaKey] = quotaAdded[quotaKey] + 1
    used[quotaKey] = u + 1
    local left = quota - u - 1
    if left < remaining then
      limit = quota
      remaining = left
      resetMs = quotaEnd - nowMs
    end
  end
  return 1, 0, limit, remaining, resetMs, 0
end

local o = 0
for g = 0, groups - 1 do
  local k = g * 3
  local a = 4 + g * 6
  local nowMs, interval, burst = tonumber(ARGV[a]), tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2])
  local quota, quotaEnd = tonumber(ARGV[a + 3]), tonumber(ARGV[a + 4])
  for _ = 1, tonumber(ARGV[a + 5]) do
    local allowed, reason, limit, remaining, resetMs, retryMs = admit(
      KEYS[k + 1], KEYS[k + 2], KEYS[k + 3], nowMs, interval, burst, quota, quotaEnd)
    out[o + 1] = allowed
    out[o + 2] = reason
    out[o + 3] = limit
    out[o + 4] = remaining
    out[o + 5] = resetMs
    out[o + 6] = retryMs
    o = o + 6
  end
end

-- A counter gets its expiry when it first becomes positive, as one INCR at
-- a time would have set it on the INCR that returned 1.
local function crossedOne(total, added)
  return total >= 1 and total - added < 1
end

for _, key in ipairs(rateKeys) do
  redis.call('SET', key, string.format('%.0f', tats[key]), 'PX', rateTtl[key])
end
for _, key in ipairs(quotaKeys) do
  local n = quotaAdded[key]
  if crossedOne(redis.call('INCRBY', key, n), n) then
    redis.call('PEXPIREAT', key, string.format('%.0f', quotaExpire[key]))
  end
end
for _, bucket in ipairs(buckets) do
  local c = counts[bucket]
  local expire = false
  for _, field in ipairs(FIELDS) do
    local n = c[field]
    if n > 0 and crossedOne(redis.call('HINCRBY', bucket, field, n), n) then
      expire = true
    end
  end
  if expire then redis.call('EXPIRE', bucket, bucketTtl) end
end
return out
`);
