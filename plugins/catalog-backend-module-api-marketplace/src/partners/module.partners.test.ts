import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  CatalogProcessingExtensionPoint,
  catalogProcessingExtensionPoint,
} from '@backstage/plugin-catalog-node';
import { catalogModuleApiMarketplace } from '../module';
import { PartnerEntityProvider } from './PartnerEntityProvider';

describe('catalogModuleApiMarketplace and partners', () => {
  async function providersWith(config: object) {
    const extensionPoint: jest.Mocked<CatalogProcessingExtensionPoint> = {
      addProcessor: jest.fn(),
      addEntityProvider: jest.fn(),
      addPlaceholderResolver: jest.fn(),
      setOnProcessingErrorHandler: jest.fn(),
    };
    await startTestBackend({
      extensionPoints: [[catalogProcessingExtensionPoint, extensionPoint]],
      features: [
        catalogModuleApiMarketplace,
        mockServices.rootConfig.factory({ data: config }),
      ],
    });
    return extensionPoint.addEntityProvider.mock.calls.map(([p]) => p);
  }

  it('adds the PartnerEntityProvider when catalog.providers.apiMarketplacePartners is set', async () => {
    expect(
      await providersWith({
        catalog: { providers: { apiMarketplacePartners: {} } },
      }),
    ).toEqual([expect.any(PartnerEntityProvider)]);
  });

  it('adds no PartnerEntityProvider otherwise', async () => {
    expect(await providersWith({})).toEqual([]);
  });
});
