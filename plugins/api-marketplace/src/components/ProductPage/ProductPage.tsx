import {
  Content,
  Header,
  HeaderLabel,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useRouteRefParams } from '@backstage/core-plugin-api';
import { useProduct } from '../../hooks/useProducts';
import { productRouteRef } from '../../routes';
import { ProductDocs } from '../ProductDocs';

/** One product of the marketplace with its docs. */
export function ProductPage() {
  const { productId } = useRouteRefParams(productRouteRef);
  const { value: product, loading, error } = useProduct(productId);
  return (
    <Page themeId="tool">
      <Header title={product?.title ?? productId} subtitle={product?.description}>
        {product && <HeaderLabel label="Version" value={product.version} />}
        {product && <HeaderLabel label="Status" value={product.status} />}
      </Header>
      <Content>
        {error && <ResponseErrorPanel error={error} />}
        {loading && <Progress />}
        {product && <ProductDocs product={product} />}
      </Content>
    </Page>
  );
}
