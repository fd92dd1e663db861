/**
 * Shared models, permissions and pricing math of the Portico API marketplace.
 *
 * @packageDocumentation
 */

export * from './product';
export * from './pricing';
export * from './permissions';
export * from './annotations';
export * from './rest';
