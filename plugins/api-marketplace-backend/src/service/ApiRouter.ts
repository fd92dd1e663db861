import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';
import type { spec } from '../schema/openapi.generated';

/** The router typed by openapi.yaml; every route file binds onto it. */
export type ApiRouter = ReturnType<
  typeof createValidatedOpenApiRouter<typeof spec>
>;
