import { HttpAuthService } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { PartnerStore } from '../database/PartnerStore';
import { ApiRouter } from './ApiRouter';

/** The only principal that may read the partner directory. */
export const CATALOG_SERVICE_SUBJECT = 'plugin:catalog';

/**
 * The partner directory for the catalog's `PartnerEntityProvider`
 * (`@portico/plugin-catalog-backend-module-api-marketplace`), which turns it
 * into `Group` and `User` entities. Only the catalog backend, calling with
 * its own service token, may read it: users and other services get 403.
 */
export function bindCatalogRoutes(
  router: ApiRouter,
  deps: { httpAuth: HttpAuthService; partners: PartnerStore },
) {
  const { httpAuth, partners } = deps;

  router.get('/v1/catalog/partners', async (req, res) => {
    const { principal } = await httpAuth.credentials(req, {
      allow: ['service'],
    });
    if (principal.subject !== CATALOG_SERVICE_SUBJECT) {
      throw new NotAllowedError(
        `Only the catalog backend may read the partner directory, not ${principal.subject}`,
      );
    }
    // Active and suspended partners alike, each with its status: a
    // suspension is enforced by this plugin, and the catalog keeps the
    // partner's group so that ownership does not dangle meanwhile.
    const all = await partners.list();
    const items = await Promise.all(
      all.map(async partner => ({
        id: partner.id,
        slug: partner.slug,
        name: partner.name,
        status: partner.status,
        members: (
          await partners.members(partner.id)
        ).map(({ userRef, role }) => ({ userRef, role })),
      })),
    );
    res.json({ items });
  });
}
