export { RedisScript } from './RedisScript';
export type { RedisClient } from './RedisScript';
export { createGatewayRedis, waitForRedis } from './createGatewayRedis';
export type { GatewayRedisOptions } from './createGatewayRedis';
