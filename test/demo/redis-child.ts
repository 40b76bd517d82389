import { startRedisServer } from '../../sandbox/demo/redis.js';

// Started by redis.test.ts and killed with SIGKILL: its redis-server must not outlive it.
const redis = await startRedisServer({ dir: process.argv[2] ?? '.' });
process.stdout.write(`${redis.pid} ${redis.url}\n`);
setInterval(() => undefined, 60_000);
