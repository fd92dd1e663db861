import type { SpecChangeItem } from '@portico/plugin-api-marketplace-common';
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

interface OperationShape {
  params: Map<string, boolean>;
  requestFields: Map<string, boolean>;
  responseFields: Set<string>;
}

/** Top-level properties of a JSON schema, following allOf, with required flags. */
function schemaFields(
  doc: SpecDocument,
  raw: unknown,
  depth = 0,
): Map<string, boolean> {
  const fields = new Map<string, boolean>();
  const schema = resolveRef(doc, raw as any);
  if (!schema || typeof schema !== 'object' || depth > 8) return fields;
  const required = new Set<string>(
    Array.isArray(schema.required) ? schema.required : [],
  );
  for (const name of Object.keys(schema.properties ?? {})) {
    fields.set(name, required.has(name));
  }
  for (const part of Array.isArray(schema.allOf) ? schema.allOf : []) {
    for (const [name, isRequired] of schemaFields(doc, part, depth + 1)) {
      fields.set(name, isRequired || fields.get(name) === true);
    }
  }
  return fields;
}

function jsonSchemaOf(doc: SpecDocument, holder: any): unknown {
  const resolved = resolveRef(doc, holder);
  if (!resolved) return undefined;
  if (resolved.schema) return resolved.schema; // Swagger 2.0
  const content = resolved.content ?? {};
  const type =
    Object.keys(content).find(t => /json/i.test(t)) ?? Object.keys(content)[0];
  return type ? content[type]?.schema : undefined;
}

function shapesOf(doc: SpecDocument): Map<string, OperationShape> {
  const shapes = new Map<string, OperationShape>();
  for (const [path, rawItem] of Object.entries(doc.paths ?? {})) {
    const item = resolveRef(doc, rawItem);
    if (!item || typeof item !== 'object') continue;
    for (const method of METHODS) {
      const op = item[method];
      if (!op || typeof op !== 'object') continue;
      const params = new Map<string, boolean>();
      let body: unknown;
      for (const raw of [
        ...(item.parameters ?? []),
        ...(op.parameters ?? []),
      ]) {
        const p = resolveRef(doc, raw);
        if (!p?.name) continue;
        if (p.in === 'body') body = p;
        else
          params.set(
            `${p.in} parameter '${p.name}'`,
            p.in === 'path' || Boolean(p.required),
          );
      }
      if (op.requestBody) body = op.requestBody;
      const success = Object.entries(op.responses ?? {}).find(([status]) =>
        /^2/.test(status),
      );
      shapes.set(`${method.toUpperCase()} ${path}`, {
        params,
        requestFields: body
          ? schemaFields(doc, jsonSchemaOf(doc, body))
          : new Map(),
        responseFields: new Set(
          success
            ? schemaFields(doc, jsonSchemaOf(doc, success[1])).keys()
            : [],
        ),
      });
    }
  }
  return shapes;
}

/**
 * What changed between two specs, from a client's point of view. Removed
 * operations, parameters and response fields, and anything newly required,
 * break existing clients; additions do not.
 */
export function diffSpecs(
  previous: SpecDocument,
  next: SpecDocument,
): SpecChangeItem[] {
  const before = shapesOf(previous);
  const after = shapesOf(next);
  const changes: SpecChangeItem[] = [];
  for (const operation of before.keys()) {
    if (!after.has(operation)) {
      changes.push({
        kind: 'operation-removed',
        operation,
        detail: `${operation} was removed`,
        breaking: true,
      });
    }
  }
  for (const [operation, shape] of after) {
    const old = before.get(operation);
    if (!old) {
      changes.push({
        kind: 'operation-added',
        operation,
        detail: `${operation} was added`,
        breaking: false,
      });
      continue;
    }
    for (const [param, wasRequired] of old.params) {
      if (!shape.params.has(param)) {
        changes.push({
          kind: 'parameter-removed',
          operation,
          detail: `${param} was removed`,
          breaking: true,
        });
      } else if (!wasRequired && shape.params.get(param)) {
        changes.push({
          kind: 'parameter-now-required',
          operation,
          detail: `${param} is now required`,
          breaking: true,
        });
      }
    }
    for (const [param, required] of shape.params) {
      if (!old.params.has(param)) {
        changes.push({
          kind: 'parameter-added',
          operation,
          detail: `${param} was added${required ? ' as required' : ''}`,
          breaking: required,
        });
      }
    }
    for (const [field, wasRequired] of old.requestFields) {
      if (!shape.requestFields.has(field)) {
        changes.push({
          kind: 'field-removed',
          operation,
          detail: `request field '${field}' was removed`,
          breaking: true,
        });
      } else if (!wasRequired && shape.requestFields.get(field)) {
        changes.push({
          kind: 'field-now-required',
          operation,
          detail: `request field '${field}' is now required`,
          breaking: true,
        });
      }
    }
    for (const [field, required] of shape.requestFields) {
      if (!old.requestFields.has(field) && required) {
        changes.push({
          kind: 'field-now-required',
          operation,
          detail: `request field '${field}' was added as required`,
          breaking: true,
        });
      }
    }
    for (const field of old.responseFields) {
      if (!shape.responseFields.has(field)) {
        changes.push({
          kind: 'field-removed',
          operation,
          detail: `response field '${field}' was removed`,
          breaking: true,
        });
      }
    }
    for (const field of shape.responseFields) {
      if (!old.responseFields.has(field)) {
        changes.push({
          kind: 'field-added',
          operation,
          detail: `response field '${field}' was added`,
          breaking: false,
        });
      }
    }
  }
  return changes;
}
