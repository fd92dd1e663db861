import {
  BackstageCredentials,
  BackstageUserPrincipal,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { marketplaceAdminPermission } from '@portico/plugin-api-marketplace-common';
import { Request } from 'express';
import { Partner, PartnerRole, PartnerStore } from '../database/PartnerStore';

/** Who is calling, and what they are to the marketplace. */
export type Caller = {
  credentials: BackstageCredentials<BackstageUserPrincipal>;
  userRef: string;
  isAdmin: boolean;
  membership?: { partner: Partner; role: PartnerRole };
};

/** Resolves the signed-in user, their partner and role, and admin status. */
export class CallerResolver {
  constructor(
    private readonly httpAuth: HttpAuthService,
    private readonly permissions: PermissionsService,
    private readonly partners: PartnerStore,
  ) {}

  async resolve(req: Request): Promise<Caller> {
    const credentials = await this.httpAuth.credentials(req, {
      allow: ['user'],
    });
    const userRef = credentials.principal.userEntityRef;
    const [decision] = await this.permissions.authorize(
      [{ permission: marketplaceAdminPermission }],
      { credentials },
    );
    return {
      credentials,
      userRef,
      isAdmin: decision.result === AuthorizeResult.ALLOW,
      membership: await this.partners.membershipOf(userRef),
    };
  }
}
