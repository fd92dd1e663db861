/** Summary of the Spectral lint of an entity's spec, as JSON. */
export const ANNOTATION_SPEC_LINT = 'portico.dev/spec-lint';
/** SHA-256 of the bundled spec text, to notice changes cheaply. */
export const ANNOTATION_SPEC_HASH = 'portico.dev/spec-hash';
