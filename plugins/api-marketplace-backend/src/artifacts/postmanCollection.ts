import { InputError } from '@backstage/errors';
import { convert } from 'openapi-to-postmanv2';

/**
 * A Postman v2.1 collection of the spec, pointed at `baseUrl` and
 * authenticated by an `apiKey` collection variable sent as `X-API-Key`.
 */
export async function generatePostmanCollection(options: {
  specText: string;
  baseUrl: string;
}): Promise<object> {
  const output = await new Promise<any>((resolve, reject) => {
    convert(
      { type: 'string', data: options.specText },
      {
        folderStrategy: 'Tags',
        requestParametersResolution: 'Example',
        exampleParametersResolution: 'Example',
        includeAuthInfoInExample: false,
      },
      (error: unknown, result: any) =>
        error ? reject(error) : resolve(result),
    );
  });
  if (!output?.result) {
    throw new InputError(
      `Postman conversion failed: ${output?.reason ?? 'unknown reason'}`,
    );
  }
  const collection = output.output[0].data;
  const variables = (collection.variable ?? []).filter(
    (v: { key: string }) => v.key !== 'baseUrl' && v.key !== 'apiKey',
  );
  collection.variable = [
    { key: 'baseUrl', value: options.baseUrl, type: 'string' },
    { key: 'apiKey', value: 'sk_test_your_sandbox_key', type: 'string' },
    ...variables,
  ];
  collection.auth = {
    type: 'apikey',
    apikey: [
      { key: 'key', value: 'X-API-Key', type: 'string' },
      { key: 'value', value: '{{apiKey}}', type: 'string' },
      { key: 'in', value: 'header', type: 'string' },
    ],
  };
  return collection;
}
