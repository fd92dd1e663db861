import { Route, Routes } from 'react-router-dom';
import { MarketplacePage } from './MarketplacePage';
import { OnboardingPage } from './OnboardingPage';
import { OrganizationPage } from './OrganizationPage';
import { ProductPage } from './ProductPage';

/** Routes below the marketplace root. */
export function Router() {
  return (
    <Routes>
      <Route path="/" element={<MarketplacePage />} />
      <Route path="/onboarding" element={<OnboardingPage />} />
      <Route path="/organization" element={<OrganizationPage />} />
      {/* The splat lets the product page route its own tabs. */}
      <Route path="/products/:productId/*" element={<ProductPage />} />
    </Routes>
  );
}
