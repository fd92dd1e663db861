import { diffSpecs } from './diffSpecs';
import { parseSpecText } from './specDocument';

const v1 = parseSpecText(`
openapi: 3.1.0
info: { title: T, version: 1.0.0 }
paths:
  /shipments:
    get:
      parameters:
        - { name: limit, in: query, schema: { type: integer } }
        - { name: cursor, in: query, schema: { type: string } }
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Page' }
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [origin]
              properties: { origin: { type: string }, reference: { type: string }, notes: { type: string } }
      responses: { '201': { description: created } }
  /legacy:
    get:
      responses: { '200': { description: ok } }
components:
  schemas:
    Page:
      type: object
      properties: { items: { type: array }, next: { type: string } }
`);

const v2 = parseSpecText(`
openapi: 3.1.0
info: { title: T, version: 2.0.0 }
paths:
  /shipments:
    get:
      parameters:
        - { name: limit, in: query, required: true, schema: { type: integer } }
        - { name: sort, in: query, schema: { type: string } }
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                allOf:
                  - type: object
                    properties: { items: { type: array } }
                  - type: object
                    properties: { total: { type: integer } }
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [origin, reference]
              properties: { origin: { type: string }, reference: { type: string } }
      responses: { '201': { description: created } }
  /shipments/{id}:
    get:
      parameters: [{ name: id, in: path, required: true, schema: { type: string } }]
      responses: { '200': { description: ok } }
`);

describe('diffSpecs', () => {
  it('finds every change and flags the breaking ones', () => {
    const changes = diffSpecs(v1, v2);
    const summary = changes
      .map(c => `${c.breaking ? 'BREAKING' : 'ok'} ${c.operation}: ${c.detail}`)
      .sort();
    expect(summary).toEqual(
      [
        'BREAKING GET /legacy: GET /legacy was removed',
        "BREAKING GET /shipments: query parameter 'cursor' was removed",
        "BREAKING GET /shipments: query parameter 'limit' is now required",
        "ok GET /shipments: query parameter 'sort' was added",
        "BREAKING GET /shipments: response field 'next' was removed",
        "ok GET /shipments: response field 'total' was added",
        "BREAKING POST /shipments: request field 'notes' was removed",
        "BREAKING POST /shipments: request field 'reference' is now required",
        'ok GET /shipments/{id}: GET /shipments/{id} was added',
      ].sort(),
    );
  });

  it('reports nothing for an identical spec', () => {
    expect(diffSpecs(v1, v1)).toEqual([]);
  });

  it('reads Swagger 2.0 body parameters', () => {
    const swagger = (required: string[]) =>
      parseSpecText(
        JSON.stringify({
          swagger: '2.0',
          info: { title: 'S', version: '1' },
          paths: {
            '/rates': {
              post: {
                parameters: [
                  {
                    name: 'body',
                    in: 'body',
                    schema: {
                      type: 'object',
                      required,
                      properties: { from: {}, to: {} },
                    },
                  },
                ],
                responses: { '200': { description: 'ok' } },
              },
            },
          },
        }),
      );
    expect(diffSpecs(swagger(['from']), swagger(['from', 'to']))).toEqual([
      expect.objectContaining({ kind: 'field-now-required', breaking: true }),
    ]);
  });
});
