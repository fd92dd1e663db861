import type {
  OperationParameter,
  ProductOperation,
  SandboxTryRequest,
} from '@portico/plugin-api-marketplace-common';

/** The parameters a form offers: cookies cannot be set from the console. */
export function formParameters(
  operation: ProductOperation,
): OperationParameter[] {
  return operation.parameters.filter(p => p.in !== 'cookie');
}

/** The form field of a parameter. */
export function paramKey(param: Pick<OperationParameter, 'in' | 'name'>) {
  return `${param.in}:${param.name}`;
}

function exampleText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(v => exampleText(v)).join(',');
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Each parameter filled with its example from the spec. */
export function initialParams(
  operation: ProductOperation,
): Record<string, string> {
  return Object.fromEntries(
    formParameters(operation).map(p => [paramKey(p), exampleText(p.example)]),
  );
}

/** The request body's example, pretty-printed when it is JSON. */
export function initialBody(operation: ProductOperation): string {
  const example = operation.requestBody?.example;
  if (example === undefined || example === null) {
    return operation.requestBody &&
      isJsonType(operation.requestBody.contentType)
      ? '{}'
      : '';
  }
  return typeof example === 'string'
    ? example
    : JSON.stringify(example, null, 2);
}

export function isJsonType(contentType: string | undefined): boolean {
  return /\bjson\b|\+json/i.test(contentType ?? '');
}

/** What the user chose to call with: one of their keys by id, or a pasted key. */
export type KeyChoice =
  | { kind: 'id'; keyId: string }
  | { kind: 'paste'; key: string };

/** A form that cannot be sent, with what to fix. */
export class TryItFormError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TryItFormError';
  }
}

/**
 * The `POST /v1/sandbox/try` body for a filled form. Throws a
 * {@link TryItFormError} naming what is missing or malformed.
 */
export function buildTryRequest(options: {
  productId: string;
  operation: ProductOperation;
  params: Record<string, string>;
  body: string;
  key?: KeyChoice;
}): SandboxTryRequest {
  const { operation, params } = options;
  const pathParams: Record<string, string> = {};
  const query: Record<string, string | string[]> = {};
  const headers: Record<string, string> = {};
  const missing: string[] = [];

  for (const param of formParameters(operation)) {
    const value = (params[paramKey(param)] ?? '').trim();
    if (!value) {
      if (param.required || param.in === 'path') missing.push(param.name);
      continue;
    }
    if (param.in === 'path') {
      pathParams[param.name] = value;
    } else if (param.in === 'query') {
      query[param.name] =
        param.type === 'array'
          ? value
              .split(',')
              .map(v => v.trim())
              .filter(Boolean)
          : value;
    } else {
      headers[param.name] = value;
    }
  }
  if (missing.length) {
    throw new TryItFormError(
      `Fill in the required ${
        missing.length === 1 ? 'parameter' : 'parameters'
      }: ${missing.join(', ')}`,
    );
  }

  const request: SandboxTryRequest = {
    productId: options.productId,
    operationId: operation.operationId,
  };
  if (Object.keys(pathParams).length) request.pathParams = pathParams;
  if (Object.keys(query).length) request.query = query;
  if (Object.keys(headers).length) request.headers = headers;

  const bodyText = options.body.trim();
  if (operation.requestBody && bodyText) {
    if (isJsonType(operation.requestBody.contentType)) {
      try {
        request.body = JSON.parse(bodyText);
      } catch (e) {
        throw new TryItFormError(
          `The body is not valid JSON: ${(e as Error).message}`,
        );
      }
    } else {
      request.body = options.body;
    }
  } else if (operation.requestBody?.required) {
    throw new TryItFormError('This operation needs a request body');
  }

  if (!options.key) {
    throw new TryItFormError('Pick a sandbox key, or paste one');
  }
  if (options.key.kind === 'id') {
    request.keyId = options.key.keyId;
  } else {
    const key = options.key.key.trim();
    if (!key) throw new TryItFormError('Paste a sandbox key');
    request.key = key;
  }
  return request;
}
