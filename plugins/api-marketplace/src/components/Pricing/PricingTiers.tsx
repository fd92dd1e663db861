import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import type { Pricing } from '@portico/plugin-api-marketplace-common';
import { formatCount, formatPrice } from '../../lib/format';

type TierView = {
  plan: string;
  price: string;
  lines: string[];
};

/** What each plan costs and includes, as lines a partner can compare. */
export function describeTiers(pricing: Pricing): TierView[] {
  const { free, starter, enterprise } = pricing;
  return [
    {
      plan: 'Free',
      price: formatPrice(0),
      lines: [`${formatCount(free.monthlyQuota)} calls/mo`, 'No overage'],
    },
    ...(
      [
        ['Starter', starter],
        ['Enterprise', enterprise],
      ] as const
    ).map(([plan, tier]) => ({
      plan,
      price: `${formatPrice(tier.monthlyPrice)}/mo`,
      lines: [
        `${formatCount(tier.includedCalls)} calls included`,
        `+${formatPrice(tier.overagePer1000)} / 1,000 calls`,
      ],
    })),
  ];
}

/** The three plans side by side, compact enough for a card. */
export function PricingTiers(props: { pricing: Pricing }) {
  return (
    <Box display="flex" justifyContent="space-between" textAlign="center">
      {describeTiers(props.pricing).map(tier => (
        <Box
          key={tier.plan}
          flex={1}
          px={0.5}
          role="group"
          aria-label={`${tier.plan} plan`}
        >
          <Typography variant="subtitle2">{tier.plan}</Typography>
          <Typography variant="body2">
            <strong>{tier.price}</strong>
          </Typography>
          {tier.lines.map(line => (
            <Typography key={line} variant="caption" display="block">
              {line}
            </Typography>
          ))}
        </Box>
      ))}
    </Box>
  );
}
