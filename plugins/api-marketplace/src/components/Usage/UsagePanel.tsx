import { useMemo, useState } from 'react';
import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import LinearProgress from '@material-ui/core/LinearProgress';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import type {
  UsageGranularity,
  UsageItem,
  UsageReport,
  UsageTotal,
} from '@portico/plugin-api-marketplace-common';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { useProducts, useUsage } from '../../hooks';
import { formatCount } from '../../lib/format';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The periods a partner can look at, newest bucket last. */
export const usagePeriods = {
  '24h': { label: 'Last 24 hours', granularity: 'hour', buckets: 24 },
  '7d': { label: 'Last 7 days', granularity: 'hour', buckets: 24 * 7 },
  '30d': { label: 'Last 30 days', granularity: 'day', buckets: 30 },
} as const;

export type UsagePeriod = keyof typeof usagePeriods;

const stepOf: Partial<Record<UsageGranularity, number>> = {
  minute: 60_000,
  hour: HOUR,
  day: DAY,
};

/** Whole buckets ending with the current one, so the newest calls show. */
export function periodRange(period: UsagePeriod, now: number) {
  const { granularity, buckets } = usagePeriods[period];
  const step = stepOf[granularity]!;
  const end = Math.floor(now / step) * step + step;
  return {
    from: new Date(end - buckets * step).toISOString(),
    to: new Date(end).toISOString(),
    granularity: granularity as UsageGranularity,
  };
}

const palette = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
];

type Series = { key: string; label: string };

function seriesKey(productId: string, environment: string) {
  return `${productId} · ${environment}`;
}

/**
 * Calls per bucket and per product × environment, with every bucket of the
 * period present so quiet hours show as zero rather than a gap.
 */
export function chartData(
  report: UsageReport,
  titles: Map<string, string>,
): { rows: Array<Record<string, number | string>>; series: Series[] } {
  const seen = new Map<string, Series>();
  const add = (productId: string, environment: string) => {
    const key = seriesKey(productId, environment);
    if (!seen.has(key)) {
      seen.set(key, {
        key,
        label: `${titles.get(productId) ?? productId} (${environment})`,
      });
    }
    return key;
  };
  for (const item of report.items) add(item.productId, item.environment);
  const series = [...seen.values()].sort((a, b) =>
    a.label.localeCompare(b.label, 'en-US'),
  );

  const step = stepOf[report.granularity] ?? HOUR;
  const from = Date.parse(report.from);
  const to = Date.parse(report.to);
  const buckets = new Map<number, Record<string, number | string>>();
  const empty = (t: number) =>
    Object.fromEntries([
      ['t', t],
      ...series.map(s => [s.key, 0] as const),
    ]) as Record<string, number | string>;
  if (
    Number.isFinite(from) &&
    Number.isFinite(to) &&
    (to - from) / step <= 2000
  ) {
    for (let t = from; t < to; t += step) buckets.set(t, empty(t));
  }
  for (const item of report.items) {
    const t = Date.parse(item.bucketStart);
    const row = buckets.get(t) ?? empty(t);
    const key = seriesKey(item.productId, item.environment);
    row[key] = (Number(row[key]) || 0) + item.calls;
    buckets.set(t, row);
  }
  const rows = [...buckets.values()].sort((a, b) => Number(a.t) - Number(b.t));
  return { rows, series };
}

function tickFormatter(granularity: UsageGranularity) {
  const format = new Intl.DateTimeFormat(
    'en-US',
    granularity === 'day'
      ? { month: 'short', day: 'numeric', timeZone: 'UTC' }
      : { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'UTC' },
  );
  return (t: number) => format.format(new Date(t));
}

const tooltipFormat = new Intl.DateTimeFormat('en-US', {
  dateStyle: 'medium',
  timeStyle: 'short',
  timeZone: 'UTC',
});

function CallsChart(props: {
  report: UsageReport;
  titles: Map<string, string>;
}) {
  const { rows, series } = useMemo(
    () => chartData(props.report, props.titles),
    [props.report, props.titles],
  );
  return (
    <Box
      role="img"
      aria-label={`Calls per ${props.report.granularity}`}
      height={260}
    >
      <ResponsiveContainer
        width="100%"
        height="100%"
        initialDimension={{ width: 600, height: 260 }}
      >
        <LineChart
          data={rows}
          margin={{ top: 8, right: 16, bottom: 0, left: 0 }}
        >
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis
            dataKey="t"
            type="number"
            scale="time"
            domain={['dataMin', 'dataMax']}
            tickFormatter={tickFormatter(props.report.granularity)}
          />
          <YAxis allowDecimals={false} />
          <Tooltip
            labelFormatter={t =>
              `${tooltipFormat.format(new Date(Number(t)))} UTC`
            }
          />
          <Legend />
          {series.map((s, i) => (
            <Line
              key={s.key}
              type="monotone"
              dataKey={s.key}
              name={s.label}
              stroke={palette[i % palette.length]}
              dot={false}
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </Box>
  );
}

function QuotaCell(props: { total: UsageTotal }) {
  const { total } = props;
  if (total.monthlyQuota !== undefined) {
    const remaining =
      total.quotaRemaining ?? Math.max(0, total.monthlyQuota - total.calls);
    const used = Math.max(0, total.monthlyQuota - remaining);
    const percent =
      total.monthlyQuota > 0
        ? Math.min(100, (used / total.monthlyQuota) * 100)
        : 100;
    return (
      <Box minWidth={180}>
        <Typography variant="body2">
          {formatCount(used)} of {formatCount(total.monthlyQuota)} used ·{' '}
          {formatCount(remaining)} left
        </Typography>
        <LinearProgress
          variant="determinate"
          value={percent}
          color={percent >= 90 ? 'secondary' : 'primary'}
          aria-label={`Quota used for ${total.productId} (${total.environment})`}
        />
      </Box>
    );
  }
  if (total.includedCalls !== undefined) {
    return (
      <Typography variant="body2">
        {formatCount(total.includedCalls)} calls included per month
      </Typography>
    );
  }
  return <Typography variant="body2">—</Typography>;
}

function TotalsTable(props: {
  totals: UsageTotal[];
  titles: Map<string, string>;
}) {
  const columns: TableColumn<UsageTotal>[] = [
    {
      title: 'API',
      render: t => props.titles.get(t.productId) ?? t.productId,
    },
    { title: 'Environment', field: 'environment' },
    { title: 'Plan', field: 'plan' },
    {
      title: 'Calls',
      align: 'right',
      render: t => formatCount(t.calls),
    },
    {
      title: 'Billable calls',
      align: 'right',
      render: t => formatCount(t.billableCalls),
    },
    {
      title: 'Quota this month',
      render: t => <QuotaCell total={t} />,
    },
  ];
  return (
    <Table<UsageTotal>
      title="Per API and environment"
      options={{ search: false, paging: false, padding: 'dense' }}
      columns={columns}
      data={props.totals.map(t => ({ ...t }))}
    />
  );
}

function sum(items: Array<Pick<UsageItem, 'calls'>>) {
  return items.reduce((n, i) => n + i.calls, 0);
}

const noFilters = {};

/**
 * The partner's calls over time per API and environment, billable calls, and
 * the free quota left this month. Live counters are included when the backend
 * has them, so a call made a minute ago shows.
 */
export function UsagePanel(props: { now?: () => number } = {}) {
  const now = props.now ?? Date.now;
  const [period, setPeriod] = useState<UsagePeriod>('24h');
  const [range, setRange] = useState(() => periodRange('24h', now()));
  const usage = useUsage(range);
  const products = useProducts(noFilters);
  const titles = useMemo(
    () => new Map((products.value ?? []).map(p => [p.id, p.title])),
    [products.value],
  );

  const onPeriod = (next: UsagePeriod) => {
    setPeriod(next);
    setRange(periodRange(next, now()));
  };

  const onRefresh = () => {
    const next = periodRange(period, now());
    if (next.to === range.to) usage.retry();
    else setRange(next);
  };

  let body;
  if (usage.loading && !usage.value) {
    body = <Progress />;
  } else if (usage.error) {
    body = (
      <ResponseErrorPanel
        error={usage.error}
        title="Could not load the usage"
      />
    );
  } else if (
    !usage.value ||
    (usage.value.totals.length === 0 && sum(usage.value.items) === 0)
  ) {
    body = (
      <EmptyState
        missing="data"
        title="No calls yet"
        description="Calls made with your keys show here within a minute. Try an API from its Try it tab to make a first call."
      />
    );
  } else {
    const report = usage.value;
    const calls = sum(report.totals);
    const billable = report.totals.reduce((n, t) => n + t.billableCalls, 0);
    body = (
      <>
        <Box display="flex" alignItems="center" mb={2} flexWrap="wrap">
          <Typography variant="h6" component="p">
            {formatCount(calls)} {calls === 1 ? 'call' : 'calls'}
          </Typography>
          <Box ml={2}>
            <Typography variant="body2" color="textSecondary">
              {formatCount(billable)} billable
            </Typography>
          </Box>
          {report.live && (
            <Box ml={2}>
              <Chip size="small" label="Live" color="primary" />
            </Box>
          )}
        </Box>
        {sum(report.items) > 0 ? (
          <CallsChart report={report} titles={titles} />
        ) : (
          <Typography variant="body2" color="textSecondary" paragraph>
            No calls in this period.
          </Typography>
        )}
        <Box mt={2}>
          <TotalsTable totals={report.totals} titles={titles} />
        </Box>
      </>
    );
  }

  return (
    <InfoCard
      title="Usage"
      subheader="Sandbox calls are metered but never billed."
      action={
        <Box display="flex" alignItems="center" mt={1} mr={1}>
          <TextField
            select
            size="small"
            value={period}
            onChange={e => onPeriod(e.target.value as UsagePeriod)}
            SelectProps={{ inputProps: { 'aria-label': 'Period' } }}
          >
            {(Object.keys(usagePeriods) as UsagePeriod[]).map(id => (
              <MenuItem key={id} value={id}>
                {usagePeriods[id].label}
              </MenuItem>
            ))}
          </TextField>
          <Box ml={1}>
            <Button size="small" onClick={onRefresh}>
              Refresh
            </Button>
          </Box>
        </Box>
      }
    >
      {body}
    </InfoCard>
  );
}
