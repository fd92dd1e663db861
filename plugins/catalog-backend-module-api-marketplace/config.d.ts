import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';
import { HumanDuration, JsonObject } from '@backstage/types';

export interface Config {
  catalog?: {
    processors?: {
      /**
       * Spec ingestion of `API` entities that have a `spec.marketplace`
       * block and `spec.type: openapi`: the spec is read (from the
       * `spec.definition` text or a `$text` placeholder), its `$ref`s are
       * bundled, it is checked to be OpenAPI and linted with Spectral.
       *
       * Files (for entities from `file` locations) are only read below the
       * directories of the `file` locations in `catalog.locations`.
       */
      apiMarketplace?: {
        /**
         * Largest spec, and largest document it references, in bytes.
         * Larger ones are refused before they are parsed. Also applies to
         * every `$text` placeholder of the catalog.
         *
         * @defaultValue 26214400 (25 MB)
         */
        maxSpecBytes?: number;
        lint?: {
          /**
           * How long processing of an entity waits for its lint. A lint
           * that takes longer is recorded as pending and its result on the
           * next processing run.
           *
           * @defaultValue \{ seconds: 10 \}
           */
          waitTimeout?: HumanDuration | string;
          /**
           * When a lint is stopped and recorded as skipped (timeout).
           *
           * @defaultValue \{ minutes: 2 \}
           */
          timeout?: HumanDuration | string;
          /**
           * Lint worker threads that may run at once.
           *
           * @defaultValue 2
           */
          concurrency?: number;
        };
      };
    };
    providers?: {
      /**
       * API products published by the `ApiMarketplaceEntityProvider`, each
       * as an `API` entity with its OpenAPI spec fetched (through the
       * backend's URL reader, so `backend.reading.allow` or an integration
       * must allow the host) and bundled.
       */
      apiMarketplace?: {
        /**
         * When the specs are fetched again; unchanged specs (HTTP 304) lead
         * to no catalog mutation. The task runs on one backend instance
         * (`scope: global`) unless configured otherwise.
         *
         * @defaultValue \{ frequency: \{ minutes: 30 \}, timeout: \{ minutes: 10 \} \}
         */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
        /** The products. */
        products: Array<{
          /** Entity name, e.g. `tracking`. */
          name: string;
          /** Entity title. */
          title?: string;
          /** Entity description. */
          description?: string;
          /** Entity ref of the owner, e.g. `group:default/team-logistics`. */
          owner: string;
          /** Entity ref of the system, if any. */
          system?: string;
          /**
           * Lifecycle of the API.
           *
           * @defaultValue production
           */
          lifecycle?: string;
          /**
           * Absolute http(s) URL of the OpenAPI 3.0/3.1 or Swagger 2.0 spec,
           * JSON or YAML. Relative `$ref`s resolve against it.
           */
          openApiSpec: string;
          /**
           * The marketplace block, as `spec.marketplace` of an `API` entity:
           * id, category, status, baseUrl, sandboxUrl, tags and pricing.
           * It is validated when the entity is processed.
           */
          marketplace: JsonObject;
        }>;
      };
      /**
       * Partner organisations of the marketplace as catalog entities, read
       * from the `api-marketplace` backend plugin (`GET
       * /v1/catalog/partners`, with the catalog's service token): a `Group`
       * `group:partners/<slug>` (`spec.type: partner`) per partner, active or
       * suspended, and a `User` with `spec.memberOf` for each member whose
       * ref is in the `partners` namespace. Other members (employees) are
       * listed in the group's `spec.members`. Setting this key, even to
       * `{}`, turns the provider on.
       */
      apiMarketplacePartners?: {
        /**
         * When the partners are read again. Every successful read replaces
         * the published entities; a failed one changes nothing and is
         * retried on the next run. The task runs on one backend instance
         * (`scope: global`) unless configured otherwise.
         *
         * @defaultValue \{ frequency: \{ seconds: 30 \}, timeout: \{ minutes: 1 \} \}
         */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      };
    };
  };
}
