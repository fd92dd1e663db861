import { DirectoryPartner } from './PartnerDirectory';
import { toPartnerEntities } from './partnerEntities';

const acme: DirectoryPartner = {
  id: '5b0c7a4e-0000-4000-8000-000000000001',
  slug: 'acme-freight',
  name: 'Acme Freight',
  status: 'active',
  members: [
    { userRef: 'user:partners/pat_at_acme.example', role: 'owner' },
    { userRef: 'user:default/alice', role: 'developer' },
    { userRef: 'user:development/guest', role: 'billing' },
  ],
};

describe('toPartnerEntities', () => {
  it('makes a partner a Group, and its partner-namespace members Users', () => {
    const { entities, problems } = toPartnerEntities([acme]);
    expect(problems).toEqual([]);
    const location = `api-marketplace:partners/${acme.id}`;
    expect(entities).toEqual([
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'User',
        metadata: {
          name: 'pat_at_acme.example',
          namespace: 'partners',
          annotations: {
            'backstage.io/managed-by-location': location,
            'backstage.io/managed-by-origin-location': location,
            'portico.dev/partner-id': acme.id,
            'portico.dev/partner-status': 'active',
            'portico.dev/partner-role': 'owner',
          },
        },
        spec: { memberOf: ['group:partners/acme-freight'] },
      },
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Group',
        metadata: {
          name: 'acme-freight',
          namespace: 'partners',
          title: 'Acme Freight',
          description: 'Partner organisation in the API marketplace',
          annotations: {
            'backstage.io/managed-by-location': location,
            'backstage.io/managed-by-origin-location': location,
            'portico.dev/partner-id': acme.id,
            'portico.dev/partner-status': 'active',
          },
        },
        spec: {
          type: 'partner',
          profile: { displayName: 'Acme Freight' },
          children: [],
          // Employees and the guest belong through the group only: their
          // User entities (if any) are not this provider's to write.
          members: [
            'user:partners/pat_at_acme.example',
            'user:default/alice',
            'user:development/guest',
          ],
        },
      },
    ]);
  });

  it('publishes suspended partners too, marked as such', () => {
    const { entities } = toPartnerEntities([
      { ...acme, status: 'suspended', members: [] },
    ]);
    expect(entities).toHaveLength(1);
    expect(entities[0].metadata.annotations).toMatchObject({
      'portico.dev/partner-status': 'suspended',
    });
    expect(entities[0].metadata.description).toBe(
      'Partner organisation in the API marketplace (suspended)',
    );
  });

  it('leaves out partners and members that cannot be entities, and says why', () => {
    const { entities, problems } = toPartnerEntities([
      { ...acme, id: 'p-bad', slug: 'ends-with-dash-', members: [] },
      {
        ...acme,
        members: [
          { userRef: 'not a ref at all', role: 'owner' },
          { userRef: 'group:partners/other', role: 'admin' },
          { userRef: 'user:partners/has space', role: 'developer' },
          { userRef: 'user:partners/ok', role: 'developer' },
        ],
      },
    ]);
    expect(entities.map(e => `${e.kind}:${e.metadata.name}`)).toEqual([
      'User:ok',
      'Group:acme-freight',
    ]);
    expect(entities[1].spec).toMatchObject({
      members: ['user:partners/ok'],
    });
    expect(problems).toEqual([
      'partner p-bad has the slug "ends-with-dash-", which is not a valid entity name; it is left out',
      'member "not a ref at all" of partner acme-freight is not an entity ref; it is left out',
      'member "group:partners/other" of partner acme-freight is not a valid user ref; it is left out',
      'member "user:partners/has space" of partner acme-freight is not a valid user ref; it is left out',
    ]);
  });
});
