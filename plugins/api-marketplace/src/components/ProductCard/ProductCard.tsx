import { Link } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Card from '@material-ui/core/Card';
import CardActions from '@material-ui/core/CardActions';
import CardContent from '@material-ui/core/CardContent';
import Chip from '@material-ui/core/Chip';
import Divider from '@material-ui/core/Divider';
import Typography from '@material-ui/core/Typography';
import type { ProductSummary } from '@portico/plugin-api-marketplace-common';
import { PricingTiers } from '../Pricing';
import { StatusBadge } from '../StatusBadge';

/** A product in the marketplace grid: what it is and what it costs. */
export function ProductCard(props: {
  product: ProductSummary;
  href: string;
  /** Called when a tag is clicked, e.g. to filter by it. */
  onTagClick?: (tag: string) => void;
}) {
  const { product, href, onTagClick } = props;
  return (
    <Card
      variant="outlined"
      component="article"
      aria-label={product.title}
      style={{ height: '100%', display: 'flex', flexDirection: 'column' }}
    >
      <CardContent style={{ flexGrow: 1 }}>
        <Box
          display="flex"
          justifyContent="space-between"
          alignItems="center"
          mb={0.5}
        >
          <Typography variant="h6" component="h3">
            <Link to={href}>{product.title}</Link>
          </Typography>
          <StatusBadge status={product.status} />
        </Box>
        <Typography variant="caption" color="textSecondary" component="p">
          {product.category} · v{product.version} ·{' '}
          {product.operationCount.toLocaleString('en-US')} operations
        </Typography>
        <Typography variant="body2" paragraph>
          {product.description}
        </Typography>
        <Box display="flex" flexWrap="wrap" mb={1}>
          {product.tags.map(tag => (
            <Box key={tag} mr={0.5} mb={0.5}>
              <Chip
                size="small"
                variant="outlined"
                label={tag}
                onClick={onTagClick ? () => onTagClick(tag) : undefined}
              />
            </Box>
          ))}
        </Box>
        <Divider />
        <Box mt={1}>
          <PricingTiers pricing={product.pricing} />
        </Box>
      </CardContent>
      <CardActions>
        <Link to={href}>Docs, pricing and changes</Link>
      </CardActions>
    </Card>
  );
}
