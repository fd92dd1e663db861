import path from 'node:path';
import { JsonValue } from '@backstage/types';
import {
  PlaceholderResolver,
  PlaceholderResolverParams,
  processingResult,
} from '@backstage/plugin-catalog-node';
import { SpecReader } from '../reading/SpecReader';
import {
  SpecLocation,
  isHttpUrl,
  stringifySpecLocation,
} from '../reading/SpecLocation';

/**
 * A `$text` placeholder resolver that also works for entities registered from
 * `file` locations.
 *
 * The stock resolver turns `baseUrl` (the entity's location target) and the
 * placeholder value into a URL with `new URL(value, baseUrl)`, which throws
 * for a file path such as `/repo/catalog-info.yaml`. This one reads relative
 * paths from the directory of that file (within the catalog's file location
 * directories, size-capped) and keeps reading URLs through the
 * `UrlReaderService` with the stock same-repository rule.
 */
export function createTextPlaceholderResolver(
  reader: SpecReader,
): PlaceholderResolver {
  return async (params: PlaceholderResolverParams): Promise<JsonValue> => {
    const { key, value, baseUrl } = params;
    if (typeof value !== 'string') {
      throw new Error(
        `Placeholder $${key} expected a string value parameter, in the form of an absolute URL or a relative path`,
      );
    }
    let location: SpecLocation;
    try {
      location = reader.resolve(value, baseLocation(baseUrl));
    } catch (error) {
      throw new Error(
        `Placeholder $${key} could not form a URL out of ${baseUrl} and ${value}, ${error}`,
      );
    }
    try {
      const { text } = await reader.read(location);
      params.emit(processingResult.refresh(stringifySpecLocation(location)));
      return text;
    } catch (error) {
      throw new Error(
        `Placeholder $${key} could not read location ${value}, ${error}`,
      );
    }
  };
}

/**
 * The resolver only gets the location target: file locations have absolute
 * paths, everything else is treated as a URL (as the stock resolver does).
 */
function baseLocation(baseUrl: string): SpecLocation {
  if (!isHttpUrl(baseUrl) && path.isAbsolute(baseUrl)) {
    return { type: 'file', target: baseUrl };
  }
  return { type: 'url', target: baseUrl };
}
