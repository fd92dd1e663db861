import { Link } from '@backstage/core-components';
import {
  Box,
  Card,
  CardActions,
  CardContent,
  Chip,
  Typography,
} from '@material-ui/core';
import type { ProductSummary } from '@portico/plugin-api-marketplace-common';

const usd = (amount: number) =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(amount);

/** A product in the marketplace grid: what it is and what it costs. */
export function ProductCard(props: { product: ProductSummary; href: string }) {
  const { product, href } = props;
  const { free, starter, enterprise } = product.pricing;
  return (
    <Card data-testid={`product-card-${product.id}`} variant="outlined">
      <CardContent>
        <Box display="flex" justifyContent="space-between" alignItems="center">
          <Typography variant="h6">{product.title}</Typography>
          <Chip size="small" label={product.status} color={product.status === 'active' ? 'primary' : 'default'} />
        </Box>
        <Typography variant="caption" color="textSecondary">
          {product.category} · v{product.version}
        </Typography>
        <Typography variant="body2" paragraph>
          {product.description}
        </Typography>
        <Box display="flex" flexWrap="wrap" mb={1}>
          {product.tags.map(tag => (
            <Box key={tag} mr={0.5} mb={0.5}>
              <Chip size="small" variant="outlined" label={tag} />
            </Box>
          ))}
        </Box>
        <Box display="flex" justifyContent="space-between" textAlign="center">
          <Box>
            <Typography variant="subtitle2">Free</Typography>
            <Typography variant="body2">{free.monthlyQuota.toLocaleString('en-US')} calls/mo</Typography>
          </Box>
          <Box>
            <Typography variant="subtitle2">Starter</Typography>
            <Typography variant="body2">{usd(starter.monthlyPrice)}/mo</Typography>
          </Box>
          <Box>
            <Typography variant="subtitle2">Enterprise</Typography>
            <Typography variant="body2">{usd(enterprise.monthlyPrice)}/mo</Typography>
          </Box>
        </Box>
      </CardContent>
      <CardActions>
        <Link to={href}>View docs</Link>
      </CardActions>
    </Card>
  );
}
