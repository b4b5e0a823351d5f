"""The portal's Redis cache backend: Django's, keeping one client per connection pool.

Django's RedisCacheClient makes a new redis.Redis object for every cache operation, and redis-py
builds its table of reply handlers (some 200 entries) in each new object: about half a millisecond
per operation, more than the round trip to Redis on loopback. A redis.Redis object is safe to share
between threads (each command takes a connection from the pool), so one per pool is kept.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient
from django.utils.functional import cached_property


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    @cached_property
    def _cache(self):
        return RedisCacheClient(self._servers, **self._options)
