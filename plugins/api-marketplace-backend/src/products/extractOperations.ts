import type {
  OperationParameter,
  OperationResponse,
  ProductOperation,
} from '@portico/plugin-api-marketplace-common';
import { SpecDocument, resolveRef } from './specDocument';

const METHODS = [
  'get',
  'put',
  'post',
  'delete',
  'options',
  'head',
  'patch',
  'trace',
];

function firstExample(doc: SpecDocument, media: any): unknown {
  if (!media) return undefined;
  if (media.example !== undefined) return media.example;
  const examples = media.examples;
  if (examples && typeof examples === 'object') {
    const first = resolveRef(doc, Object.values(examples)[0] as any);
    if (first && typeof first === 'object' && 'value' in first)
      return first.value;
  }
  const schema = resolveRef(doc, media.schema);
  if (schema?.example !== undefined) return schema.example;
  if (Array.isArray(schema?.examples) && schema.examples.length)
    return schema.examples[0];
  return undefined;
}

function pickMedia(content: Record<string, any> | undefined) {
  if (!content || typeof content !== 'object') return undefined;
  const entries = Object.entries(content);
  const json = entries.find(([type]) => /json/i.test(type));
  return json ?? entries[0];
}

function schemaType(doc: SpecDocument, schema: any): string | undefined {
  const resolved = resolveRef(doc, schema);
  if (!resolved) return undefined;
  const type = Array.isArray(resolved.type)
    ? resolved.type.join(' | ')
    : resolved.type;
  if (type === 'array') {
    const items = schemaType(doc, resolved.items);
    return items ? `${items}[]` : 'array';
  }
  return resolved.format && type ? `${type} (${resolved.format})` : type;
}

function parameterOf(
  doc: SpecDocument,
  raw: any,
  swagger2: boolean,
): OperationParameter | undefined {
  const p = resolveRef(doc, raw);
  if (
    !p ||
    typeof p.name !== 'string' ||
    !['path', 'query', 'header', 'cookie'].includes(p.in)
  ) {
    return undefined;
  }
  const schema = swagger2 ? p : p.schema;
  let example = p.example;
  if (example === undefined && p.examples && typeof p.examples === 'object') {
    example = (resolveRef(doc, Object.values(p.examples)[0] as any) as any)
      ?.value;
  }
  if (example === undefined) example = resolveRef(doc, schema)?.example;
  return {
    name: p.name,
    in: p.in,
    required: p.in === 'path' ? true : Boolean(p.required),
    description: p.description,
    type: schemaType(doc, schema),
    example,
  };
}

/** A stable operation id for operations whose spec does not name one. */
export function fallbackOperationId(method: string, path: string): string {
  const words = path
    .split('/')
    .filter(Boolean)
    .map(segment => segment.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+/g, ' '))
    .join(' ')
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  return [
    method.toLowerCase(),
    ...words.map(w => w[0].toUpperCase() + w.slice(1)),
  ].join('');
}

/** One entry per operation of the spec, with examples where the spec has them. */
export function extractOperations(doc: SpecDocument): ProductOperation[] {
  const swagger2 = doc.swagger === '2.0';
  const operations: ProductOperation[] = [];
  const seen = new Set<string>();
  for (const [path, rawItem] of Object.entries(doc.paths ?? {})) {
    const item = resolveRef(doc, rawItem);
    if (!item || typeof item !== 'object') continue;
    const shared = Array.isArray(item.parameters) ? item.parameters : [];
    for (const method of METHODS) {
      const op = item[method];
      if (!op || typeof op !== 'object') continue;
      const rawParams = [
        ...shared,
        ...(Array.isArray(op.parameters) ? op.parameters : []),
      ];
      const byKey = new Map<string, OperationParameter>();
      let bodyParam: any;
      for (const raw of rawParams) {
        const resolved = resolveRef(doc, raw);
        if (swagger2 && resolved?.in === 'body') {
          bodyParam = resolved;
          continue;
        }
        const param = parameterOf(doc, raw, swagger2);
        if (param) byKey.set(`${param.in}:${param.name}`, param);
      }
      let operationId =
        typeof op.operationId === 'string' && op.operationId
          ? op.operationId
          : fallbackOperationId(method, path);
      if (seen.has(operationId))
        operationId = `${operationId}_${method}${operations.length}`;
      seen.add(operationId);

      let requestBody: ProductOperation['requestBody'];
      if (swagger2 && bodyParam) {
        const schema = resolveRef(doc, bodyParam.schema);
        requestBody = {
          contentType: (op.consumes ?? doc.consumes ?? ['application/json'])[0],
          required: Boolean(bodyParam.required),
          example: bodyParam['x-example'] ?? schema?.example,
        };
      } else if (op.requestBody) {
        const body = resolveRef(doc, op.requestBody);
        const media = pickMedia(body?.content);
        if (media) {
          requestBody = {
            contentType: media[0],
            required: Boolean(body.required),
            example: firstExample(doc, media[1]),
          };
        }
      }

      const responses: OperationResponse[] = [];
      for (const [status, rawResponse] of Object.entries(op.responses ?? {})) {
        const response = resolveRef(doc, rawResponse as any);
        if (swagger2) {
          const examples = response?.examples ?? {};
          const contentType =
            Object.keys(examples)[0] ??
            (response?.schema ? 'application/json' : undefined);
          responses.push({
            status,
            description: response?.description,
            contentType,
            example: contentType
              ? examples[contentType] ??
                resolveRef(doc, response?.schema)?.example
              : undefined,
          });
        } else {
          const media = pickMedia(response?.content);
          responses.push({
            status,
            description: response?.description,
            contentType: media?.[0],
            example: media ? firstExample(doc, media[1]) : undefined,
          });
        }
      }

      operations.push({
        operationId,
        method: method.toUpperCase(),
        path,
        summary: op.summary,
        description: op.description,
        tags: Array.isArray(op.tags) ? op.tags.map(String) : [],
        deprecated: Boolean(op.deprecated),
        parameters: [...byKey.values()],
        requestBody,
        responses,
      });
    }
  }
  return operations;
}
