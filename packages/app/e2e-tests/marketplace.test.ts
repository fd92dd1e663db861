import { expect, test } from '@playwright/test';

test('a guest signs in, browses the marketplace and sees the marketplace tabs of an API', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await page.goto('/');

  const enter = page.getByRole('button', { name: 'Enter' });
  await expect(enter).toBeVisible();
  await enter.click();

  // The root redirects to the marketplace.
  await expect(
    page.getByRole('heading', { name: 'API Marketplace' }),
  ).toBeVisible();

  // The catalog ingests, bundles and lints the 15 example specs (and our own)
  // in the background after start-up; reload until all of them are listed.
  const cards = page.getByRole('main').getByRole('article', {
    name: /API$/,
  });
  await expect(async () => {
    await page.goto('/api-marketplace');
    // A reload shows the sign-in page again for the guest.
    if (await enter.isVisible({ timeout: 2_000 }).catch(() => false)) {
      await enter.click();
    }
    await expect(cards).toHaveCount(16, { timeout: 10_000 });
  }).toPass({ timeout: 240_000, intervals: [5_000] });
  await expect(
    page.getByRole('article', { name: 'Shipment Tracking API' }),
  ).toBeVisible();
  await page.screenshot({
    path: 'test-results/e2e/marketplace.png',
    fullPage: true,
  });

  await page.goto('/catalog/default/api/tracking');
  await expect(page.getByRole('tab', { name: 'Docs' })).toBeVisible();
  await expect(page.getByRole('tab', { name: 'Changes' })).toBeVisible();
  await expect(page.getByRole('tab', { name: 'Keys' })).toBeVisible();
  await expect(page.getByRole('tab', { name: 'Definition' })).toBeVisible();
  await page.getByRole('tab', { name: 'Docs' }).click();
  await expect(
    page.getByText('14 operations in Shipment Tracking API', { exact: false }),
  ).toBeVisible();
  await page.screenshot({
    path: 'test-results/e2e/entity-docs.png',
    fullPage: true,
  });
});
