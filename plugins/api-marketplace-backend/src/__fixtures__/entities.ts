import { Entity } from '@backstage/catalog-model';
import { JsonValue } from '@backstage/types';

export const trackingSpec = `
openapi: 3.0.3
info:
  title: Tracking
  version: 2.1.0
  description: Track shipments.
paths:
  /shipments/{shipmentId}:
    parameters:
      - name: shipmentId
        in: path
        required: true
        schema: { type: string, format: uuid }
        example: 6f1c2a3e-8d7b-4a9e-9c1d-2b3a4c5d6e7f
    get:
      operationId: getShipment
      summary: Get a shipment
      tags: [Shipments]
      parameters:
        - name: expand
          in: query
          schema: { type: array, items: { type: string } }
      responses:
        '200':
          description: The shipment
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Shipment' }
              example: { id: 6f1c2a3e-8d7b-4a9e-9c1d-2b3a4c5d6e7f, status: in_transit }
        '404':
          description: Unknown shipment
  /shipments:
    post:
      summary: Create a shipment
      requestBody:
        required: true
        content:
          application/json:
            schema: { $ref: '#/components/schemas/Shipment' }
            examples:
              parcel:
                value: { status: created }
      responses:
        '201':
          description: Created
components:
  schemas:
    Shipment:
      type: object
      properties:
        id: { type: string }
        status: { type: string }
`;

export const marketplaceBlock = {
  id: 'tracking',
  category: 'logistics',
  status: 'active',
  baseUrl: 'https://api.logistics.example.com/tracking/v1',
  tags: ['realtime'],
  pricing: {
    free: { monthlyQuota: 1000, ratePerSecond: 5 },
    starter: {
      monthlyPrice: 49,
      includedCalls: 50000,
      overagePer1000: 0.5,
      ratePerSecond: 25,
    },
    enterprise: {
      monthlyPrice: 499,
      includedCalls: 1000000,
      overagePer1000: 0.2,
      ratePerSecond: 200,
    },
  },
};

export function apiEntity(
  name: string,
  marketplace: unknown,
  definition: string = trackingSpec,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'API',
    metadata: { name, namespace: 'default', title: `${name} API`, tags: [] },
    spec: {
      type: 'openapi',
      lifecycle: 'production',
      owner: 'group:default/team-tracking',
      definition,
      marketplace: marketplace as JsonValue,
    },
  };
}
