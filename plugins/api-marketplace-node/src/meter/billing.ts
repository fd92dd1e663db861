/**
 * THE billable rule, used everywhere: a call is billable when it was allowed
 * (passed verification, rate limit and quota) and the upstream did not answer
 * 5xx. Gateway-made 502/504 are 5xx too. A call the partner abandoned before
 * the upstream answered is metered as 499 and is billable (the upstream did
 * the work). Denied calls (401/403/429) never reach the meter.
 *
 * Counting: only the meter writes `billable`, once per finished call, in
 * batches applied exactly once (a batch id guards every retry). The limiter
 * never does: when Redis fails with an admission in flight, the gateway
 * cannot know whether the script ran, and a count made there too would be
 * counted twice when the call is admitted locally instead. The price is the
 * documented crash bound: a `kill -9` loses the billable counts of the calls
 * still in the meter's unflushed buffer, as it loses their status counts.
 *
 * The free-plan quota counter is different: it must be taken at admission to
 * stop exactly at the quota under concurrency. The limiter script adds 1 when
 * it admits; the meter corrects with `quotaAdjustment`: -1 for an admitted
 * call that ended 5xx, +1 for a billable call admitted by the local fallback
 * limiter while Redis was down.
 */
export function isBillableStatus(status: number): boolean {
  return status < 500;
}

/**
 * What the meter adds to the quota counter of a plan with a hard quota for
 * one call.
 *
 * @param countedAtAdmission - the limiter already counted the call in the
 *   quota counter the meter writes to.
 */
export function quotaAdjustment(
  status: number,
  countedAtAdmission: boolean,
): -1 | 0 | 1 {
  const billable = isBillableStatus(status);
  if (countedAtAdmission) return billable ? 0 : -1;
  return billable ? 1 : 0;
}
