import { renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import type { LintSummary } from '@portico/plugin-api-marketplace-common';
import { LintSummaryCard } from './LintSummaryCard';

const finding = (i: number, severity: 'error' | 'warning') => ({
  code: `rule-${i}`,
  message: `Problem ${i}`,
  severity,
  path: `paths./items.get.responses.${i}`,
});

describe('LintSummaryCard', () => {
  it('shows counts and only the first findings', async () => {
    const lint: LintSummary = {
      ruleset: 'portico',
      errors: 2,
      warnings: 5,
      infos: 1,
      findings: [
        finding(1, 'error'),
        finding(2, 'error'),
        ...[3, 4, 5, 6, 7].map(i => finding(i, 'warning')),
      ],
    };
    await renderInTestApp(<LintSummaryCard lint={lint} />);

    expect(screen.getByText('2 errors')).toBeInTheDocument();
    expect(screen.getByText('5 warnings, 1 info')).toBeInTheDocument();
    expect(screen.getByText('Ruleset: portico')).toBeInTheDocument();
    const items = within(
      screen.getByRole('list', { name: 'Lint findings' }),
    ).getAllByRole('listitem');
    expect(items).toHaveLength(5);
    expect(items[0]).toHaveTextContent('rule-1');
    expect(items[0]).toHaveTextContent('Problem 1');
    expect(items[0]).toHaveTextContent('paths./items.get.responses.1');
    expect(screen.queryByText('Problem 6')).not.toBeInTheDocument();
    expect(screen.getByText('and 3 more')).toBeInTheDocument();
  });

  it('praises a clean spec', async () => {
    await renderInTestApp(
      <LintSummaryCard
        lint={{
          ruleset: 'portico',
          errors: 0,
          warnings: 0,
          infos: 0,
          findings: [],
        }}
      />,
    );
    expect(screen.getByText('No errors')).toBeInTheDocument();
    expect(screen.getByText('No findings. Nice spec.')).toBeInTheDocument();
  });

  it('says when a spec was not linted', async () => {
    await renderInTestApp(<LintSummaryCard />);
    expect(
      screen.getByText('This spec has not been linted yet.'),
    ).toBeInTheDocument();
  });
});
