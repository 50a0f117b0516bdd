// RADACAST_ROLE: a lone process by default; a writer needs Redis; an edge needs Redis and the
// writer's URL — a missing one stops the server at start with the variable named.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.ts';

describe('RADACAST_ROLE', () => {
  it('is a lone process without Redis by default', () => {
    expect(loadConfig({})).toMatchObject({ role: 'all', redisUrl: null, writerUrl: null });
  });

  it('names what a writer or an edge is missing', () => {
    expect(() => loadConfig({ RADACAST_ROLE: 'writer' })).toThrow('RADACAST_REDIS_URL: required when RADACAST_ROLE is writer');
    expect(() => loadConfig({ RADACAST_ROLE: 'edge', RADACAST_REDIS_URL: 'redis://127.0.0.1:6379' })).toThrow('RADACAST_WRITER_URL: required');
    expect(() => loadConfig({ RADACAST_ROLE: 'cache' })).toThrow('RADACAST_ROLE');
    expect(() => loadConfig({ RADACAST_ROLE: 'writer', RADACAST_REDIS_URL: 'http://127.0.0.1:6379' })).toThrow('RADACAST_REDIS_URL');
  });

  it('takes an edge’s Redis and writer', () => {
    const config = loadConfig({ RADACAST_ROLE: 'edge', RADACAST_REDIS_URL: 'redis://10.0.0.5:6379', RADACAST_WRITER_URL: 'http://10.0.0.2:8080/' });
    expect(config).toMatchObject({ role: 'edge', redisUrl: 'redis://10.0.0.5:6379', writerUrl: 'http://10.0.0.2:8080' });
  });
});
