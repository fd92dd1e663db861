/**
 * The last Try it calls, kept in this browser's localStorage (not in the
 * user-settings backend: request bodies are the user's scratch work). A
 * pasted key is never written here; a picked key is kept by id only.
 */

/** How many calls are kept. */
export const TRY_IT_HISTORY_SIZE = 10;

export const TRY_IT_HISTORY_STORAGE_KEY = 'api-marketplace/try-it-history/v1';

/** One call as the console sent it, and what came back. */
export type TryItHistoryEntry = {
  id: string;
  at: string;
  productId: string;
  operationId: string;
  method: string;
  path: string;
  /** The form values by parameter (`in:name`), as typed. */
  params: Record<string, string>;
  body?: string;
  /** The picked key's id; never a secret. */
  keyId?: string;
  statusCode?: number;
  latencyMs?: number;
  /** The error code or message when the call failed. */
  error?: string;
};

function storage(): Storage | undefined {
  try {
    return typeof window === 'undefined' ? undefined : window.localStorage;
  } catch {
    return undefined;
  }
}

function isEntry(value: unknown): value is TryItHistoryEntry {
  const v = value as TryItHistoryEntry;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.id === 'string' &&
    typeof v.productId === 'string' &&
    typeof v.operationId === 'string' &&
    typeof v.method === 'string' &&
    typeof v.path === 'string' &&
    typeof v.params === 'object' &&
    v.params !== null
  );
}

/** Every kept call, newest first. Unreadable storage reads as empty. */
export function readTryItHistory(): TryItHistoryEntry[] {
  try {
    const raw = storage()?.getItem(TRY_IT_HISTORY_STORAGE_KEY);
    const parsed: unknown = raw ? JSON.parse(raw) : [];
    return Array.isArray(parsed) ? parsed.filter(isEntry) : [];
  } catch {
    return [];
  }
}

function write(entries: TryItHistoryEntry[]) {
  try {
    storage()?.setItem(TRY_IT_HISTORY_STORAGE_KEY, JSON.stringify(entries));
  } catch {
    // Full or disabled storage: the history is a convenience.
  }
}

/** Keeps a call first, dropping the oldest beyond {@link TRY_IT_HISTORY_SIZE}. */
export function addTryItHistory(entry: TryItHistoryEntry): TryItHistoryEntry[] {
  const next = [entry, ...readTryItHistory()].slice(0, TRY_IT_HISTORY_SIZE);
  write(next);
  return next;
}

/** Forgets the calls of one product, or of all. */
export function clearTryItHistory(productId?: string): TryItHistoryEntry[] {
  const next = productId
    ? readTryItHistory().filter(entry => entry.productId !== productId)
    : [];
  write(next);
  return next;
}
