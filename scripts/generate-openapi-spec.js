#!/usr/bin/env node
// Writes src/schema/openapi.generated.ts from src/schema/openapi.yaml for a
// backend plugin: the spec as a typed const for createValidatedOpenApiRouter.
// (`backstage-repo-tools … generate --server` needs a Java generator jar that
// cannot be downloaded here; this keeps the same shape without it.)
// Usage: node scripts/generate-openapi-spec.js <plugin dir> [--check]
const fs = require('node:fs');
const path = require('node:path');
const { parse } = require('yaml');

const dir = path.resolve(process.argv[2] ?? '.');
const check = process.argv.includes('--check');
const source = path.join(dir, 'src/schema/openapi.yaml');
const target = path.join(dir, 'src/schema/openapi.generated.ts');
const spec = parse(fs.readFileSync(source, 'utf8'));
const output = `// This file is generated from openapi.yaml by scripts/generate-openapi-spec.js; do not edit.

import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';

export const spec = ${JSON.stringify(spec, null, 2)} as const;

export const createOpenApiRouter = async (
  options?: Parameters<typeof createValidatedOpenApiRouter>['1'],
) => createValidatedOpenApiRouter<typeof spec>(spec, options);
`;
if (check) {
  const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : '';
  // Compare ignoring formatting, which prettier owns.
  const strip = s => s.replace(/\s+/g, '').replace(/,([}\]])/g, '$1');
  if (strip(current) !== strip(output)) {
    console.error(
      `${path.relative(
        process.cwd(),
        target,
      )} is out of date; run: node scripts/generate-openapi-spec.js ${
        process.argv[2]
      }`,
    );
    process.exit(1);
  }
} else {
  fs.writeFileSync(target, output);
}
