export { LintSummaryCard } from './LintSummaryCard';
