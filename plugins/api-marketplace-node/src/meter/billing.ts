/**
 * THE billable rule, used everywhere: a call is billable when it was allowed
 * (passed verification, rate limit and quota) and the upstream did not answer
 * 5xx. Gateway-made 502/504 are 5xx too. A call the partner abandoned before
 * the upstream answered is metered as 499 and is billable (the upstream did
 * the work). Denied calls (401/403/429) never reach the meter.
 *
 * Counting: the limiter script adds 1 to the minute bucket's `billable` (and
 * to the free-plan quota counter) when it admits a call, before the upstream
 * is called, so a gateway crash never loses a billed call. The meter then
 * corrects with `billableAdjustment` in its flush: -1 for an admitted call
 * that ended 5xx, +1 for a billable call the shared store never saw (admitted
 * by the local fallback limiter while Redis was down). Once the meter has
 * flushed, `billable` and the quota counter equal the calls this rule counts.
 */
export function isBillableStatus(status: number): boolean {
  return status < 500;
}

/**
 * What the meter adds to `billable` (and to the quota counter, for plans with
 * a hard quota) for one call.
 *
 * @param countedAtAdmission - the limiter already counted the call as billable
 *   in the store the meter writes to.
 */
export function billableAdjustment(
  status: number,
  countedAtAdmission: boolean,
): -1 | 0 | 1 {
  const billable = isBillableStatus(status);
  if (countedAtAdmission) return billable ? 0 : -1;
  return billable ? 1 : 0;
}
