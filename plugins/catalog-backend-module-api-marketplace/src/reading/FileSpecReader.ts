import fs from 'node:fs/promises';
import path from 'node:path';
import { Config } from '@backstage/config';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { formatBytes } from './formatBytes';

/**
 * Reads spec files from disk for entities registered from `file` locations.
 *
 * Only regular files below one of the allowed root directories are read
 * (symlinks are followed before the check), and never more than `maxBytes`.
 * This keeps `$text: ../../../etc/passwd` or a symlink to it out of the
 * catalog.
 */
export class FileSpecReader {
  private readonly roots: string[];

  /**
   * The allowed roots are the directories of the `file` locations in
   * `catalog.locations`, resolved like the catalog resolves them (against
   * the working directory of the backend). A glob target allows
   * the directory its pattern starts in (`apis/` for a target of every
   * `apis/<any>/catalog-info.yaml`): any file below it may become a location.
   */
  static fromConfig(config: Config, options: { maxBytes: number }) {
    const roots = (config.getOptionalConfigArray('catalog.locations') ?? [])
      .filter(location => location.getString('type') === 'file')
      .map(location =>
        locationRoot(path.resolve(location.getString('target'))),
      );
    return new FileSpecReader({ roots, maxBytes: options.maxBytes });
  }

  constructor(private readonly options: { roots: string[]; maxBytes: number }) {
    this.roots = [...new Set(options.roots.map(root => path.resolve(root)))];
  }

  async read(filePath: string): Promise<string> {
    const real = await this.realPath(filePath);
    const roots = await this.allowedRoots();
    if (!roots.some(root => isWithin(root, real))) {
      throw new NotAllowedError(
        roots.length
          ? `${filePath} is outside the directories of the catalog's file locations (${roots.join(
              ', ',
            )})`
          : `${filePath} cannot be read: no file locations are configured in catalog.locations`,
      );
    }
    const stat = await fs.stat(real);
    if (!stat.isFile()) {
      throw new InputError(`${filePath} is not a regular file`);
    }
    this.assertSize(filePath, stat.size);
    const buffer = await fs.readFile(real);
    // The file may have grown since the stat.
    this.assertSize(filePath, buffer.length);
    return buffer.toString('utf8');
  }

  private assertSize(filePath: string, bytes: number) {
    if (bytes > this.options.maxBytes) {
      throw new InputError(
        `${filePath} is ${formatBytes(bytes)}, above the limit of ${formatBytes(
          this.options.maxBytes,
        )}`,
      );
    }
  }

  private async realPath(filePath: string): Promise<string> {
    try {
      return await fs.realpath(filePath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new NotFoundError(`${filePath} does not exist`);
      }
      throw error;
    }
  }

  /** Real paths of the roots that exist; a few syscalls, so not cached. */
  private async allowedRoots(): Promise<string[]> {
    const roots = await Promise.all(
      this.roots.map(root => fs.realpath(root).catch(() => undefined)),
    );
    return roots.filter((root): root is string => Boolean(root));
  }
}

/** The directory of a file target, or of the static part of a glob. */
function locationRoot(target: string): string {
  const segments = target.split(path.sep);
  const firstGlob = segments.findIndex(segment => /[*?[\]{}!]/.test(segment));
  if (firstGlob === -1) return path.dirname(target);
  return segments.slice(0, firstGlob).join(path.sep) || path.sep;
}

function isWithin(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  return (
    relative === '' ||
    (!relative.startsWith(`..${path.sep}`) &&
      relative !== '..' &&
      !path.isAbsolute(relative))
  );
}
