import {
  LintFinding,
  LintSummary,
} from '@portico/plugin-api-marketplace-common';

/** The ruleset every spec is linted with. */
export const LINT_RULESET = 'spectral:oas';
/** Findings kept in the summary; the counts cover all of them. */
export const MAX_FINDINGS = 20;

/** A Spectral result as the lint worker posts it. */
export type RawLintFinding = {
  code: string;
  message: string;
  /** Spectral's `DiagnosticSeverity`: 0 error, 1 warning, 2 info, 3 hint. */
  severity: number;
  path: string[];
};

/** Why a lint has no findings of its own. */
export type LintSkipReason = 'pending' | 'timeout' | 'error';

/**
 * The value of the `portico.dev/spec-lint` annotation: a {@link LintSummary},
 * plus `skipped` when the lint did not run to completion. A skipped lint has
 * one `info` finding that says why, so readers that only know
 * `LintSummary` still show it.
 */
export type RecordedLint = LintSummary & { skipped?: LintSkipReason };

const SEVERITIES: LintFinding['severity'][] = [
  'error',
  'warning',
  'info',
  'hint',
];

/** Counts all findings and keeps the first {@link MAX_FINDINGS}, most severe first. */
export function summarizeLint(results: RawLintFinding[]): RecordedLint {
  const findings = results
    .map((result, index) => ({ result, index }))
    .sort((a, b) => a.result.severity - b.result.severity || a.index - b.index)
    .map(({ result }) => toFinding(result));
  const count = (...severities: LintFinding['severity'][]) =>
    findings.filter(finding => severities.includes(finding.severity)).length;
  return {
    ruleset: LINT_RULESET,
    errors: count('error'),
    warnings: count('warning'),
    // LintSummary has no count of hints; they are the mildest infos.
    infos: count('info', 'hint'),
    findings: findings.slice(0, MAX_FINDINGS),
  };
}

/** A lint that did not run to completion, with one finding saying why. */
export function skippedLint(
  reason: LintSkipReason,
  message: string,
): RecordedLint {
  return {
    ruleset: LINT_RULESET,
    errors: 0,
    warnings: 0,
    infos: 1,
    findings: [{ code: `lint-${reason}`, message, severity: 'info', path: '' }],
    skipped: reason,
  };
}

function toFinding(result: RawLintFinding): LintFinding {
  return {
    code: result.code,
    message: result.message,
    severity: SEVERITIES[result.severity] ?? 'info',
    path: result.path.join('.'),
  };
}
