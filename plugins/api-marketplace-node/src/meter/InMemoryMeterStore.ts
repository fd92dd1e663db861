import {
  MeterBucket,
  MeterDimensions,
  MeterStore,
  StatusClass,
  minuteOf,
} from './types';

/** Single-instance counters for the embedded default (no Redis configured). */
export class InMemoryMeterStore implements MeterStore {
  private readonly buckets = new Map<string, MeterBucket['counts']>();

  private key(dims: MeterDimensions, minute: number): string {
    return `${dims.partnerId}\u0000${dims.productId}\u0000${dims.environment}\u0000${minute}`;
  }

  async record(
    dims: MeterDimensions,
    statusClass: StatusClass,
    at: number,
  ): Promise<void> {
    const key = this.key(dims, minuteOf(at));
    const counts = this.buckets.get(key) ?? {};
    counts[statusClass] = (counts[statusClass] ?? 0) + 1;
    this.buckets.set(key, counts);
  }

  async readBucket(
    dims: MeterDimensions,
    minute: number,
  ): Promise<MeterBucket> {
    const counts = this.buckets.get(this.key(dims, minuteOf(minute))) ?? {};
    return { ...dims, minute: minuteOf(minute), counts: { ...counts } };
  }

  async close(): Promise<void> {
    this.buckets.clear();
  }
}
