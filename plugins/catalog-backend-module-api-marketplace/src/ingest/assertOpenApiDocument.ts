import { InputError } from '@backstage/errors';

/** A document that passed {@link assertOpenApiDocument}. */
export type OpenApiDocument = {
  openapi?: string;
  swagger?: string;
  info: { title: string; version: string };
  [key: string]: unknown;
};

const SUPPORTED = 'Swagger 2.0, OpenAPI 3.0.x and 3.1.x';

/**
 * Checks that a parsed document is an OpenAPI 3.0/3.1 or Swagger 2.0
 * document, with messages that say what it is instead. Conformance to the
 * OpenAPI schema is the linter's job; its findings do not block publication.
 */
export function assertOpenApiDocument(
  document: unknown,
  name: string,
): asserts document is OpenApiDocument {
  if (!isObject(document)) {
    throw new InputError(
      `${name} is not an OpenAPI document: expected a mapping at the top level, found ${describe(
        document,
      )}`,
    );
  }
  if ('asyncapi' in document) {
    throw new InputError(
      `${name} is an AsyncAPI ${String(
        document.asyncapi,
      )} document, not OpenAPI; use spec.type asyncapi for it`,
    );
  }
  const { openapi, swagger } = document;
  if (openapi === undefined && swagger === undefined) {
    throw new InputError(
      `${name} is not an OpenAPI document: it has neither an "openapi" nor a "swagger" field`,
    );
  }
  if (openapi !== undefined) {
    if (typeof openapi !== 'string') {
      throw new InputError(
        `${name}: "openapi" must be a version string such as "3.0.3", not ${describe(
          openapi,
        )}`,
      );
    }
    if (!/^3\.[01]\.\d+$/.test(openapi)) {
      throw new InputError(
        `${name} has unsupported OpenAPI version ${openapi}; supported are ${SUPPORTED}`,
      );
    }
  } else if (swagger !== '2.0') {
    throw new InputError(
      `${name} has unsupported Swagger version ${JSON.stringify(
        swagger,
      )}; supported are ${SUPPORTED}`,
    );
  }
  const info = document.info;
  if (!isObject(info)) {
    throw new InputError(`${name} has no "info" object`);
  }
  if (typeof info.title !== 'string') {
    throw new InputError(`${name}: "info.title" must be a string`);
  }
  if (typeof info.version !== 'string') {
    throw new InputError(
      `${name}: "info.version" must be a string such as "1.0.0", not ${describe(
        info.version,
      )}`,
    );
  }
  const paths = document.paths;
  if (paths !== undefined && !isObject(paths)) {
    throw new InputError(`${name}: "paths" must be a mapping`);
  }
  const is31 = openapi?.startsWith('3.1.');
  if (
    paths === undefined &&
    !(is31 && (isObject(document.webhooks) || isObject(document.components)))
  ) {
    throw new InputError(`${name} has no "paths"`);
  }
}

/** `OpenAPI 3.1.0` or `Swagger 2.0`. */
export function specVersionOf(document: OpenApiDocument): string {
  return document.openapi
    ? `OpenAPI ${document.openapi}`
    : `Swagger ${document.swagger}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string')
    return `the text ${JSON.stringify(value.slice(0, 40))}`;
  return `a ${typeof value}`;
}
