import { randomUUID } from 'node:crypto';
import { testRedisUrl } from '../testUtils/testRedis';
import { createGatewayRedis, waitForRedis } from './createGatewayRedis';
import { RedisScript } from './RedisScript';

describe('RedisScript', () => {
  it('falls back to EVAL when the server does not know the script (NOSCRIPT)', async () => {
    const client = createGatewayRedis(testRedisUrl());
    await waitForRedis(client);
    try {
      // A source no server has seen, so this test never needs SCRIPT FLUSH.
      const script = new RedisScript(`-- ${randomUUID()}\nreturn ARGV[1]`);
      await expect(client.evalsha(script.sha, 0, 'x')).rejects.toThrow(
        /NOSCRIPT/,
      );
      await expect(script.run(client, [], ['hello'])).resolves.toBe('hello');
      // EVAL cached it: EVALSHA works from now on.
      await expect(client.evalsha(script.sha, 0, 'again')).resolves.toBe(
        'again',
      );
    } finally {
      await client.quit();
    }
  });
});
