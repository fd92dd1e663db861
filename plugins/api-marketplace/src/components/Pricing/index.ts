export { PricingTiers } from './PricingTiers';
export { PricingTable } from './PricingTable';
