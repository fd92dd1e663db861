import { RedisScript } from '../redis';

/**
 * Admission of a batch of calls in one round trip and one script run. Each
 * call: quota, then rate, then counting (quota first: when it is used up,
 * retrying in a second will not help). Calls are applied in order inside
 * the atomic script, so a batch is exactly as strict as single calls.
 *
 * ARGV[1] bucket TTL s; ARGV[2] calls in the batch.
 * Per call i (0-based): KEYS[3i+1] rate key, KEYS[3i+2] quota key,
 * KEYS[3i+3] usage bucket (same cluster slot); ARGV[3+6i..8+6i]: now ms,
 * emission interval µs, burst, quota (-1 none), quota period end ms, quota
 * key expiry (epoch ms).
 * Reply, 6 integers per call: allowed, reason (0, 1 rate, 2 quota), limit,
 * remaining, resetMs, retryAfterMs.
 */
export const LIMITER_SCRIPT = new RedisScript(`
local bucketTtl = ARGV[1]
local calls = tonumber(ARGV[2])
local out = {}

local function count(bucket, field)
  if redis.call('HINCRBY', bucket, field, 1) == 1 then
    redis.call('EXPIRE', bucket, bucketTtl)
  end
end

local function admit(rateKey, quotaKey, bucket, a)
  local nowMs = tonumber(ARGV[a])
  local now = nowMs * 1000
  local interval = tonumber(ARGV[a + 1])
  local burst = tonumber(ARGV[a + 2])
  local quota = tonumber(ARGV[a + 3])
  local quotaEnd = tonumber(ARGV[a + 4])
  local tau = interval * burst

  local used = 0
  if quota >= 0 then
    used = tonumber(redis.call('GET', quotaKey) or '0')
    if used >= quota then
      count(bucket, 'quota_exceeded')
      return 0, 2, quota, 0, quotaEnd - nowMs, quotaEnd - nowMs
    end
  end

  local tat = tonumber(redis.call('GET', rateKey) or '0')
  if tat < now then tat = now end
  local newTat = tat + interval
  if newTat - now > tau then
    count(bucket, 'rate_limited')
    return 0, 1, burst, 0, math.ceil((tat - now) / 1000), math.ceil((newTat - tau - now) / 1000)
  end
  redis.call('SET', rateKey, string.format('%.0f', newTat), 'PX', math.ceil((newTat - now) / 1000) + 1)
  count(bucket, 'billable')

  local limit = burst
  local remaining = math.floor((tau - (newTat - now)) / interval)
  local resetMs = math.ceil((newTat - now) / 1000)
  if quota >= 0 then
    if redis.call('INCR', quotaKey) == 1 then
      redis.call('PEXPIREAT', quotaKey, ARGV[a + 5])
    end
    local left = quota - used - 1
    if left < remaining then
      limit = quota
      remaining = left
      resetMs = quotaEnd - nowMs
    end
  end
  return 1, 0, limit, remaining, resetMs, 0
end

for i = 0, calls - 1 do
  local k = i * 3
  local allowed, reason, limit, remaining, resetMs, retryMs =
    admit(KEYS[k + 1], KEYS[k + 2], KEYS[k + 3], 3 + i * 6)
  local o = i * 6
  out[o + 1] = allowed
  out[o + 2] = reason
  out[o + 3] = limit
  out[o + 4] = remaining
  out[o + 5] = resetMs
  out[o + 6] = retryMs
end
return out
`);
