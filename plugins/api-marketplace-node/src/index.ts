/**
 * Extension points, interfaces and the data-plane library of the Portico
 * API marketplace: key codec, verifier, rate limiter, meter.
 *
 * @packageDocumentation
 */

export * from './keys';
export * from './meter';
