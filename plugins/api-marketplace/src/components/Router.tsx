import { Route, Routes } from 'react-router-dom';
import { MarketplacePage } from './MarketplacePage';
import { ProductPage } from './ProductPage';

/** Routes below the marketplace root. */
export function Router() {
  return (
    <Routes>
      <Route path="/" element={<MarketplacePage />} />
      {/* The splat lets the product page route its own tabs. */}
      <Route path="/products/:productId/*" element={<ProductPage />} />
    </Routes>
  );
}
