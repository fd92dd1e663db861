import { InputError } from '@backstage/errors';
import { convertObj } from 'swagger2openapi';
import { SpecDocument } from '../products/specDocument';

/** OpenAPI 3.x as is; Swagger 2.0 converted by swagger2openapi. */
export async function toOpenApi3(doc: SpecDocument): Promise<SpecDocument> {
  if (doc.swagger !== '2.0') return doc;
  try {
    const converted = await convertObj(structuredClone(doc) as any, {
      patch: true,
      warnOnly: true,
    });
    return (converted as unknown as { openapi: SpecDocument }).openapi;
  } catch (error) {
    throw new InputError(
      `Swagger 2.0 spec could not be converted: ${(error as Error).message}`,
    );
  }
}
