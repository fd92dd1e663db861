export * from './types';
export { RedisMeterStore } from './RedisMeterStore';
export { InMemoryMeterStore } from './InMemoryMeterStore';
