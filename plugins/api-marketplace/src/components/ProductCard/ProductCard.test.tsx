import { renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { makeProduct } from '../../__testUtils__/fixtures';
import { ProductCard } from './ProductCard';

describe('ProductCard', () => {
  it('shows category, status, tags and the three plans side by side', async () => {
    await renderInTestApp(
      <ProductCard
        product={makeProduct({ status: 'beta' })}
        href="/products/tracking"
      />,
    );

    expect(screen.getByRole('link', { name: 'Tracking' })).toHaveAttribute(
      'href',
      '/products/tracking',
    );
    expect(screen.getByText(/logistics · v2\.1\.0/)).toBeInTheDocument();
    expect(screen.getByLabelText('Status: beta')).toBeInTheDocument();
    expect(screen.getByText('parcels')).toBeInTheDocument();

    const free = within(screen.getByRole('group', { name: 'Free plan' }));
    expect(free.getByText('1,000 calls/mo')).toBeInTheDocument();
    const starter = within(screen.getByRole('group', { name: 'Starter plan' }));
    expect(starter.getByText('$49.00/mo')).toBeInTheDocument();
    expect(starter.getByText('100,000 calls included')).toBeInTheDocument();
    expect(starter.getByText('+$0.50 / 1,000 calls')).toBeInTheDocument();
    const enterprise = within(
      screen.getByRole('group', { name: 'Enterprise plan' }),
    );
    expect(enterprise.getByText('$499.00/mo')).toBeInTheDocument();
    expect(
      enterprise.getByText('5,000,000 calls included'),
    ).toBeInTheDocument();
    expect(enterprise.getByText('+$0.125 / 1,000 calls')).toBeInTheDocument();
  });

  it('reports clicked tags', async () => {
    const onTagClick = jest.fn();
    await renderInTestApp(
      <ProductCard
        product={makeProduct()}
        href="/products/tracking"
        onTagClick={onTagClick}
      />,
    );
    await userEvent.click(screen.getByRole('button', { name: 'realtime' }));
    expect(onTagClick).toHaveBeenCalledWith('realtime');
  });
});
