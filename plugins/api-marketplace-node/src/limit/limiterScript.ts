import { RedisScript } from '../redis';

/**
 * Admission of a batch of calls in one round trip and one script run.
 * Consecutive calls on the same key at the same millisecond come as one
 * group with a count. The calls of a group are decided as if one after the
 * other, each: quota, then rate (quota first: when it is used up, retrying
 * in a second will not help), then counting the quota taken and the
 * refusals. Within a group those checks only ever pass for the first calls
 * and fail for the rest, so the script decides a group at once: it admits
 * min(calls, room under the rate, room under the quota) and refuses the
 * rest for the reason the first refused call would get. Groups are decided
 * in order, inside the atomic script, so a batch is exactly as strict as
 * single calls. Billable calls are not counted here but by the meter, once
 * the call is over (see `billing.ts`).
 *
 * Each key is read at most once per run and written at most once at its
 * end: a hot key's groups are decided against the script's own copy of its
 * state (the TAT, the quota used, the counts), which ends in Redis exactly
 * as the same calls one by one would have left it (same values, same
 * expiries, the same "first write sets the TTL" rules). Nothing else runs
 * while a script does, so nobody sees the difference.
 *
 * ARGV[1] bucket TTL s; ARGV[2] groups in the batch; ARGV[3] how long a
 * quota counter outlives its month, ms.
 * Per group g (0-based): KEYS[3g+1] rate key, KEYS[3g+2] quota key,
 * KEYS[3g+3] usage bucket (same cluster slot); ARGV[4+7g..10+7g]: now ms,
 * emission interval µs, burst, quota (-1 none), quota period end ms, calls,
 * lease. A lease (only without a quota) asks for that many admissions
 * beyond the calls, for the replica to hand out itself in the next moments
 * (see `RedisRateLimiter`): they are admitted after the calls, as if they
 * were more calls at the same instant, and what is not granted is not
 * counted as refused: nobody was refused.
 * Reply, 3 integers per group: calls (and leased admissions) admitted, the
 * TAT before the group minus now (µs, at least 0), the quota used before
 * the group (0 without quota). `groupCallReply` turns them into each call's
 * reply.
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

local function count(bucket, field, n)
  local c = counts[bucket]
  if c == nil then
    c = {rate_limited = 0, quota_exceeded = 0}
    counts[bucket] = c
    buckets[#buckets + 1] = bucket
  end
  c[field] = c[field] + n
end

for g = 0, groups - 1 do
  local k = g * 3
  local rateKey, quotaKey, bucket = KEYS[k + 1], KEYS[k + 2], KEYS[k + 3]
  local a = 4 + g * 7
  local nowMs = tonumber(ARGV[a])
  local now = nowMs * 1000
  local interval = tonumber(ARGV[a + 1])
  local burst = tonumber(ARGV[a + 2])
  local quota = tonumber(ARGV[a + 3])
  local quotaEnd = tonumber(ARGV[a + 4])
  local calls = tonumber(ARGV[a + 5])
  local lease = tonumber(ARGV[a + 6])
  local tau = interval * burst

  local u = 0
  local admitted = calls + lease
  if quota >= 0 then
    admitted = calls
    u = used[quotaKey]
    if u == nil then
      u = tonumber(redis.call('GET', quotaKey) or '0')
      used[quotaKey] = u
    end
    admitted = math.max(0, math.min(admitted, quota - u))
  end
  local tat = tats[rateKey]
  if tat == nil then
    tat = tonumber(redis.call('GET', rateKey) or '0')
    tats[rateKey] = tat
  end
  if tat < now then tat = now end
  admitted = math.max(0, math.min(admitted, math.floor((tau - (tat - now)) / interval)))

  local refused = calls - math.min(admitted, calls)
  if refused > 0 then
    -- The first refused call meets the quota check first.
    if quota >= 0 and u + admitted >= quota then
      count(bucket, 'quota_exceeded', refused)
    else
      count(bucket, 'rate_limited', refused)
    end
  end
  local o = g * 3
  out[o + 1] = admitted
  out[o + 2] = tat - now
  out[o + 3] = u
  if admitted > 0 then
    local newTat = tat + admitted * interval
    if rateTtl[rateKey] == nil then rateKeys[#rateKeys + 1] = rateKey end
    tats[rateKey] = newTat
    rateTtl[rateKey] = math.ceil((newTat - now) / 1000) + 1
    if quota >= 0 then
      if quotaAdded[quotaKey] == nil then
        quotaAdded[quotaKey] = 0
        quotaExpire[quotaKey] = quotaEnd + grace
        quotaKeys[#quotaKeys + 1] = quotaKey
      end
      quotaAdded[quotaKey] = quotaAdded[quotaKey] + admitted
      used[quotaKey] = u + admitted
    end
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
