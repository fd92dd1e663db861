import { RedisScript } from '../redis';

/**
 * Applies one meter batch (rows of one partner) exactly once: the batch
 * marker is set with NX in the same atomic script, so a batch retried after a
 * lost reply is skipped instead of counted twice.
 *
 * KEYS[1] batch marker; KEYS[2i], KEYS[2i+1]: bucket and quota key of row i
 * ARGV[1] marker TTL s, ARGV[2] bucket TTL s, ARGV[2+i] row i as JSON:
 * {s: [2xx,3xx,4xx,5xx], l: latency µs, h: [bucket, count, ...], b: billable
 * delta, q: quota delta, x: quota key expiry epoch ms}
 * Reply: 1 applied, 0 already applied.
 */
export const METER_SCRIPT = new RedisScript(`
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then
  return 0
end
local function int(n) return string.format('%d', n) end
local classes = {'2xx', '3xx', '4xx', '5xx'}
for i = 1, #ARGV - 2 do
  local row = cjson.decode(ARGV[i + 2])
  local bucket = KEYS[2 * i]
  local quota = KEYS[2 * i + 1]
  for j = 1, 4 do
    if row.s[j] ~= 0 then
      redis.call('HINCRBY', bucket, classes[j], int(row.s[j]))
    end
  end
  if row.l ~= 0 then
    redis.call('HINCRBY', bucket, 'lat_us', int(row.l))
  end
  for j = 1, #row.h, 2 do
    redis.call('HINCRBY', bucket, 'h' .. int(row.h[j]), int(row.h[j + 1]))
  end
  if row.b ~= 0 then
    redis.call('HINCRBY', bucket, 'billable', int(row.b))
  end
  if row.q ~= 0 then
    redis.call('INCRBY', quota, int(row.q))
    if redis.call('PTTL', quota) < 0 then
      redis.call('PEXPIREAT', quota, int(row.x))
    end
  end
  -- A late write into a rolled-up bucket revives it for the next rollup
  -- (and its full TTL); a bucket's first meter write sets the TTL too.
  local version = redis.call('HINCRBY', bucket, '_v', 1)
  local revived = redis.call('HDEL', bucket, '_rolled')
  if version == 1 or revived == 1 then
    redis.call('EXPIRE', bucket, ARGV[2])
  end
end
return 1
`);

/**
 * Marks a bucket rolled up only if nothing was written since it was read.
 * KEYS[1] bucket; ARGV[1] version read; ARGV[2] TTL s. Reply 1 marked, 0 not.
 */
export const MARK_ROLLED_UP_SCRIPT = new RedisScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local version = redis.call('HGET', KEYS[1], '_v') or '0'
if version ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], '_rolled', '1')
redis.call('EXPIRE', KEYS[1], ARGV[2])
return 1
`);
