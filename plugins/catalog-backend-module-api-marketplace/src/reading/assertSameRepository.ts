import parseGitUrl from 'git-url-parse';

/**
 * The check of Backstage's stock `$text` placeholder: a placeholder in an
 * entity read from an SCM URL may only reference files of the same
 * repository. URLs that are not recognisable repository URLs pass.
 */
export function assertSameRepository(resolvedUrl: string, baseUrl: string) {
  let resolved: ReturnType<typeof parseGitUrl>;
  let base: ReturnType<typeof parseGitUrl>;
  try {
    resolved = parseGitUrl(resolvedUrl);
    base = parseGitUrl(baseUrl);
  } catch {
    return;
  }
  if (
    !resolved.owner ||
    !resolved.name ||
    !resolved.filepath ||
    !base.owner ||
    !base.name ||
    !base.filepath
  ) {
    return;
  }
  if (
    resolved.resource !== base.resource ||
    resolved.full_name !== base.full_name
  ) {
    throw new Error(
      'Placeholder may only reference files from the same repository as the entity',
    );
  }
}
