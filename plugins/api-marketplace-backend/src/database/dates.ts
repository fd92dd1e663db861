/**
 * Timestamps come back as Date (Postgres), epoch milliseconds (SQLite, for
 * values we wrote) or 'YYYY-MM-DD HH:MM:SS' in UTC (SQLite defaults).
 */
export function toDate(value: unknown): Date | undefined {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date) return value;
  if (typeof value === 'number') return new Date(value);
  const text = String(value);
  if (/^\d+$/.test(text)) return new Date(Number(text));
  return new Date(
    /[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text.replace(' ', 'T')}Z`,
  );
}

export function toIso(value: unknown): string | undefined {
  return toDate(value)?.toISOString();
}
