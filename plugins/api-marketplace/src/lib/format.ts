const currency = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  minimumFractionDigits: 2,
  maximumFractionDigits: 4,
});

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

const dateTime = new Intl.DateTimeFormat('en-US', {
  dateStyle: 'medium',
  timeStyle: 'short',
  timeZone: 'UTC',
});

/** A price in the marketplace currency, e.g. `$49.00` or `$0.125`. */
export function formatPrice(amount: number): string {
  return currency.format(amount);
}

/** A whole number with thousands separators, e.g. `100,000`. */
export function formatCount(value: number): string {
  return integer.format(value);
}

/** A timestamp in UTC, e.g. `May 1, 2024, 10:00 AM UTC`. */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${dateTime.format(date)} UTC`;
}
