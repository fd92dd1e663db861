import { expect, test } from '@playwright/test';

test('a guest signs in, browses the marketplace and sees the marketplace tabs of an API', async ({
  page,
}) => {
  await page.goto('/');

  const enter = page.getByRole('button', { name: 'Enter' });
  await expect(enter).toBeVisible();
  await enter.click();

  // The root redirects to the marketplace.
  await expect(
    page.getByRole('heading', { name: 'API Marketplace' }),
  ).toBeVisible();
  const trackingCard = page.getByTestId('product-card-tracking');
  await expect(trackingCard).toBeVisible();
  await expect(page.locator('[data-testid^="product-card-"]')).toHaveCount(16);
  await page.screenshot({
    path: 'test-results/e2e/marketplace.png',
    fullPage: true,
  });

  await page.goto('/catalog/default/api/tracking');
  await expect(page.getByRole('tab', { name: 'Docs' })).toBeVisible();
  await expect(page.getByRole('tab', { name: 'Definition' })).toBeVisible();
  await page.getByRole('tab', { name: 'Docs' }).click();
  await expect(page.getByText(/operations/).first()).toBeVisible();
  await page.screenshot({
    path: 'test-results/e2e/entity-docs.png',
    fullPage: true,
  });
});
