import { MAX_FINDINGS, skippedLint, summarizeLint } from './summarizeLint';

describe('summarizeLint', () => {
  it('counts all findings and keeps the most severe first', () => {
    const results = [
      { code: 'hint', message: 'h', severity: 3, path: [] },
      { code: 'warn-1', message: 'w1', severity: 1, path: ['info'] },
      { code: 'error', message: 'e', severity: 0, path: ['paths', '/a'] },
      { code: 'info', message: 'i', severity: 2, path: ['tags', '0'] },
      { code: 'warn-2', message: 'w2', severity: 1, path: ['servers'] },
    ];
    expect(summarizeLint(results)).toEqual({
      ruleset: 'spectral:oas',
      errors: 1,
      warnings: 2,
      infos: 2,
      findings: [
        { code: 'error', message: 'e', severity: 'error', path: 'paths./a' },
        { code: 'warn-1', message: 'w1', severity: 'warning', path: 'info' },
        { code: 'warn-2', message: 'w2', severity: 'warning', path: 'servers' },
        { code: 'info', message: 'i', severity: 'info', path: 'tags.0' },
        { code: 'hint', message: 'h', severity: 'hint', path: '' },
      ],
    });
  });

  it(`keeps at most ${MAX_FINDINGS} findings`, () => {
    const results = Array.from({ length: 50 }, (_, i) => ({
      code: `rule-${i}`,
      message: 'm',
      severity: i % 2,
      path: [],
    }));
    const summary = summarizeLint(results);
    expect(summary.findings).toHaveLength(MAX_FINDINGS);
    expect(summary.errors + summary.warnings).toBe(50);
    expect(summary.findings.every(f => f.severity === 'error')).toBe(true);
  });

  it('records why a lint was skipped as an info finding', () => {
    expect(skippedLint('timeout', 'Lint skipped: timeout after 2 s')).toEqual({
      ruleset: 'spectral:oas',
      errors: 0,
      warnings: 0,
      infos: 1,
      findings: [
        {
          code: 'lint-timeout',
          message: 'Lint skipped: timeout after 2 s',
          severity: 'info',
          path: '',
        },
      ],
      skipped: 'timeout',
    });
  });
});
