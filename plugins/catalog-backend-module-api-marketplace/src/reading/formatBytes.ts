/** `26214400` ⇒ `25 MB` (binary megabytes, one decimal where needed). */
export function formatBytes(bytes: number): string {
  const megabytes = bytes / (1024 * 1024);
  if (megabytes >= 1) {
    return `${Number(megabytes.toFixed(1))} MB`;
  }
  return `${Math.ceil(bytes / 1024)} kB`;
}
