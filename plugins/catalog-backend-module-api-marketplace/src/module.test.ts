import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  CatalogProcessingExtensionPoint,
  catalogProcessingExtensionPoint,
} from '@backstage/plugin-catalog-node';
import { catalogModuleApiMarketplace } from './module';
import { ApiMarketplaceProcessor } from './processor/ApiMarketplaceProcessor';
import { ApiMarketplaceEntityProvider } from './provider/ApiMarketplaceEntityProvider';

describe('catalogModuleApiMarketplace', () => {
  const fakeExtensionPoint = () => {
    const fake: jest.Mocked<CatalogProcessingExtensionPoint> = {
      addProcessor: jest.fn(),
      addEntityProvider: jest.fn(),
      addPlaceholderResolver: jest.fn(),
      setOnProcessingErrorHandler: jest.fn(),
    };
    return fake;
  };

  it('registers the processor, the provider and the $text resolver', async () => {
    const extensionPoint = fakeExtensionPoint();
    await startTestBackend({
      extensionPoints: [[catalogProcessingExtensionPoint, extensionPoint]],
      features: [
        catalogModuleApiMarketplace,
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              providers: {
                apiMarketplace: {
                  products: [
                    {
                      name: 'tracking',
                      owner: 'group:default/team-logistics',
                      openApiSpec: 'https://specs.example.com/tracking.yaml',
                      marketplace: { id: 'tracking' },
                    },
                  ],
                },
              },
            },
          },
        }),
        mockServices.urlReader.factory(),
        mockServices.scheduler.factory(),
      ],
    });

    expect(extensionPoint.addProcessor).toHaveBeenCalledWith(
      expect.any(ApiMarketplaceProcessor),
    );
    expect(extensionPoint.addEntityProvider).toHaveBeenCalledWith(
      expect.any(ApiMarketplaceEntityProvider),
    );
    const provider = extensionPoint.addEntityProvider.mock
      .calls[0][0] as ApiMarketplaceEntityProvider;
    expect(provider.getProviderName()).toBe('ApiMarketplaceEntityProvider');
    expect(extensionPoint.addPlaceholderResolver).toHaveBeenCalledWith(
      'text',
      expect.any(Function),
    );
  });

  it('adds no provider without products in config', async () => {
    const extensionPoint = fakeExtensionPoint();
    await startTestBackend({
      extensionPoints: [[catalogProcessingExtensionPoint, extensionPoint]],
      features: [
        catalogModuleApiMarketplace,
        mockServices.rootConfig.factory({ data: {} }),
      ],
    });
    expect(extensionPoint.addProcessor).toHaveBeenCalledTimes(1);
    expect(extensionPoint.addEntityProvider).not.toHaveBeenCalled();
  });
});
