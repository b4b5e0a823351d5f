"""Sessions read from the shared cache and written through to the database.

Every signed-in request reads its session; from Redis that is one round trip instead of a query.
The database keeps every session, so a session outlives a Redis restart. Two rules keep the cache
from ever being the only place a change was made:

- Redis away: sessions are read from and written to the database alone (Django's cached_db store
  would fail the request), and the failure is logged.
- A session stays in the cache for at most SESSION_CACHE_SECONDS after it was last read from the
  database or saved. A sign-out whose cache entry could not be deleted (Redis unreachable but
  keeping its data) can thus be undone by the cache for that long at most, never for the
  session's whole life.
"""

import logging

from django.conf import settings
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore
from django.contrib.sessions.backends.db import SessionStore as DBStore

from portal.page_cache import CACHE_ERRORS

logger = logging.getLogger(__name__)


class SessionStore(CachedDBStore):
    def _cache_seconds(self, expiry=None) -> int:
        return min(self.get_expiry_age(expiry=expiry), settings.SESSION_CACHE_SECONDS)

    def load(self):
        try:
            data = self._cache.get(self.cache_key)
        except CACHE_ERRORS as error:
            logger.warning("Session read from the database, the cache is unreachable: %s", error)
            return DBStore.load(self)
        if data is not None:
            return data
        stored = self._get_session_from_db()
        if not stored:
            return {}
        data = self.decode(stored.session_data)
        try:
            self._cache.set(self.cache_key, data, self._cache_seconds(expiry=stored.expire_date))
        except CACHE_ERRORS as error:
            logger.warning("Session not cached, the cache is unreachable: %s", error)
        return data

    def exists(self, session_key):
        try:
            return super().exists(session_key)
        except CACHE_ERRORS:
            return DBStore.exists(self, session_key)

    def save(self, must_create=False):
        DBStore.save(self, must_create)
        try:
            self._cache.set(self.cache_key, self._session, self._cache_seconds())
        except CACHE_ERRORS as error:
            logger.warning("Session saved to the database only, the cache is unreachable: %s", error)

    def delete(self, session_key=None):
        DBStore.delete(self, session_key)
        session_key = session_key or self.session_key
        if session_key is None:
            return
        try:
            self._cache.delete(self.cache_key_prefix + session_key)
        except CACHE_ERRORS as error:
            logger.error("Session %s… deleted from the database but not from the cache: %s", session_key[:6], error)
