import { Table, TableColumn } from '@backstage/core-components';
import type { Pricing } from '@portico/plugin-api-marketplace-common';
import { formatCount, formatPrice } from '../../lib/format';

type PlanRow = {
  plan: string;
  price: string;
  included: string;
  overage: string;
  rate: string;
};

const columns: TableColumn<PlanRow>[] = [
  { title: 'Plan', field: 'plan', highlight: true },
  { title: 'Monthly price', field: 'price' },
  { title: 'Included calls / month', field: 'included' },
  { title: 'Overage per 1,000 calls', field: 'overage' },
  { title: 'Rate limit', field: 'rate' },
];

/** The rows of {@link PricingTable}, one per plan. */
export function pricingRows(pricing: Pricing): PlanRow[] {
  const { free, starter, enterprise } = pricing;
  return [
    {
      plan: 'Free',
      price: formatPrice(0),
      included: `${formatCount(free.monthlyQuota)} (hard limit)`,
      overage: 'none',
      rate: `${formatCount(free.ratePerSecond)} req/s`,
    },
    ...(
      [
        ['Starter', starter],
        ['Enterprise', enterprise],
      ] as const
    ).map(([plan, tier]) => ({
      plan,
      price: formatPrice(tier.monthlyPrice),
      included: formatCount(tier.includedCalls),
      overage: formatPrice(tier.overagePer1000),
      rate: `${formatCount(tier.ratePerSecond)} req/s`,
    })),
  ];
}

/** Every plan of a product with its price, allowance, overage and rate limit. */
export function PricingTable(props: { pricing: Pricing }) {
  return (
    <Table<PlanRow>
      title="Pricing"
      columns={columns}
      data={pricingRows(props.pricing)}
      options={{ paging: false, search: false, padding: 'dense' }}
    />
  );
}
