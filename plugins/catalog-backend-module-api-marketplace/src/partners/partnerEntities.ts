import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  GroupEntity,
  KubernetesValidatorFunctions,
  UserEntity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { DirectoryPartner } from './PartnerDirectory';

/**
 * The catalog namespace of partner organisations (`group:partners/<slug>`)
 * and of partner identities (`user:partners/<name>`, issued at sign-in to
 * everyone outside the company's domains). Only this provider writes it.
 */
export const PARTNER_NAMESPACE = 'partners';
/** `spec.type` of a partner's `Group`. */
export const PARTNER_GROUP_TYPE = 'partner';

export const ANNOTATION_PARTNER_ID = 'portico.dev/partner-id';
export const ANNOTATION_PARTNER_STATUS = 'portico.dev/partner-status';
export const ANNOTATION_PARTNER_ROLE = 'portico.dev/partner-role';

/** The location the entities of a partner are said to come from. */
export function partnerLocation(partnerId: string): string {
  return `api-marketplace:partners/${partnerId}`;
}

export type PartnerEntities = {
  entities: Array<GroupEntity | UserEntity>;
  /** Why partners or members were left out, for the log. */
  problems: string[];
};

const isValidName = (name: string) =>
  KubernetesValidatorFunctions.isValidObjectName(name);

/**
 * A `Group` per partner, and a `User` per member whose identity lives in the
 * `partners` namespace. Members with refs elsewhere (employees,
 * `user:development/guest`, …) belong to the group through `spec.members`
 * only: their `User` entity, if any, is another provider's, and emitting one
 * here would conflict with it or invent a user that does not exist.
 */
export function toPartnerEntities(
  partners: DirectoryPartner[],
): PartnerEntities {
  const problems: string[] = [];
  const entities: Array<GroupEntity | UserEntity> = [];
  const seenUsers = new Set<string>();

  for (const partner of partners) {
    if (!isValidName(partner.slug)) {
      problems.push(
        `partner ${partner.id} has the slug "${partner.slug}", which is not a valid entity name; it is left out`,
      );
      continue;
    }
    const groupRef = stringifyEntityRef({
      kind: 'group',
      namespace: PARTNER_NAMESPACE,
      name: partner.slug,
    });
    const location = partnerLocation(partner.id);
    const annotations = {
      [ANNOTATION_LOCATION]: location,
      [ANNOTATION_ORIGIN_LOCATION]: location,
      [ANNOTATION_PARTNER_ID]: partner.id,
      [ANNOTATION_PARTNER_STATUS]: partner.status,
    };

    const memberRefs: string[] = [];
    for (const member of partner.members) {
      let ref;
      try {
        ref = parseEntityRef(member.userRef);
      } catch {
        problems.push(
          `member "${member.userRef}" of partner ${partner.slug} is not an entity ref; it is left out`,
        );
        continue;
      }
      if (
        ref.kind.toLocaleLowerCase('en-US') !== 'user' ||
        !isValidName(ref.name) ||
        !KubernetesValidatorFunctions.isValidNamespace(ref.namespace)
      ) {
        problems.push(
          `member "${member.userRef}" of partner ${partner.slug} is not a valid user ref; it is left out`,
        );
        continue;
      }
      const userRef = stringifyEntityRef(ref);
      memberRefs.push(userRef);
      if (ref.namespace.toLocaleLowerCase('en-US') !== PARTNER_NAMESPACE) {
        continue;
      }
      if (seenUsers.has(userRef)) {
        problems.push(
          `${userRef} is listed by more than one partner; only its first membership is published`,
        );
        continue;
      }
      seenUsers.add(userRef);
      entities.push({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'User',
        metadata: {
          name: ref.name,
          namespace: PARTNER_NAMESPACE,
          annotations: {
            ...annotations,
            [ANNOTATION_PARTNER_ROLE]: member.role,
          },
        },
        spec: { memberOf: [groupRef] },
      });
    }

    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: {
        name: partner.slug,
        namespace: PARTNER_NAMESPACE,
        title: partner.name,
        description: `Partner organisation in the API marketplace${
          partner.status === 'suspended' ? ' (suspended)' : ''
        }`,
        annotations,
      },
      spec: {
        type: PARTNER_GROUP_TYPE,
        profile: { displayName: partner.name },
        children: [],
        members: memberRefs,
      },
    });
  }
  return { entities, problems };
}
