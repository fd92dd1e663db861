import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '@backstage/errors';

/**
 * Where a spec document lives: an absolute file path (entities registered
 * from `file` locations) or an absolute http(s) URL.
 */
export type SpecLocation = {
  type: 'file' | 'url';
  target: string;
};

/** `file:/abs/path` or `url:https://…`, as in Backstage location refs. */
export function stringifySpecLocation(location: SpecLocation): string {
  return `${location.type}:${location.target}`;
}

/**
 * The spec location of a catalog location, if it is one a spec can be read
 * relative to.
 */
export function specLocationFromCatalog(location: {
  type: string;
  target: string;
}): SpecLocation | undefined {
  if (location.type === 'file' && path.isAbsolute(location.target)) {
    return { type: 'file', target: location.target };
  }
  if (location.type === 'url' && isHttpUrl(location.target)) {
    return { type: 'url', target: location.target };
  }
  return undefined;
}

/**
 * The location behind an absolute URL as produced by `$ref` resolution:
 * `file:` URLs are files, `http(s):` URLs are URLs, anything else is refused.
 */
export function specLocationFromUrl(url: string): SpecLocation {
  if (url.startsWith('file:')) {
    return { type: 'file', target: fileURLToPath(url) };
  }
  if (isHttpUrl(url)) {
    return { type: 'url', target: url };
  }
  throw new InputError(
    `${url} is neither a file nor an http(s) URL; only those can be read`,
  );
}

export function isHttpUrl(value: string): boolean {
  return /^https?:\/\//i.test(value);
}

/** A file name extension that tells the format, if any. */
export function formatHint(target: string): 'json' | 'yaml' | undefined {
  const pathname = isHttpUrl(target) ? new URL(target).pathname : target;
  const extension = path.extname(pathname).toLowerCase();
  if (extension === '.json') {
    return 'json';
  }
  if (extension === '.yaml' || extension === '.yml') {
    return 'yaml';
  }
  return undefined;
}
