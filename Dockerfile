# The portal's image: one image for web (gunicorn), worker and beat (celery).
# Build: docker compose build   (or: docker build -t placement-portal .)

# Stage 1: front-end assets from the npm registry, copied as `make assets` does (static/vendor/.built).
FROM node:22-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
RUN mkdir -p vendor/bootstrap vendor/htmx \
 && cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/css/bootstrap.min.css.map vendor/bootstrap/ \
 && cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map vendor/bootstrap/ \
 && cp node_modules/htmx.org/dist/htmx.min.js vendor/htmx/ \
 && touch vendor/.built

# Stage 2: the Python application.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PRIVATE_MEDIA_ROOT=/data/documents \
    VAR_DIR=/data/var
WORKDIR /app

COPY requirements.txt ./
RUN pip install -r requirements.txt

COPY . .
COPY --from=assets /build/vendor/ static/vendor/

# Static files are collected into the image and served by whitenoise. Settings refuse to load
# without production values, so this step gets throw-away ones that do not reach the image.
RUN DEBUG=false \
    SECRET_KEY=collectstatic-only-build-time-key-never-used-to-serve-requests \
    ALLOWED_HOSTS=build.invalid \
    VAR_DIR=/tmp/build \
    python manage.py collectstatic --no-input --verbosity 0 \
 && rm -rf /tmp/build

# Run as an unprivileged user; the documents folder becomes the `documents` volume.
RUN useradd --create-home --uid 1000 portal \
 && mkdir -p /data/documents /data/var \
 && chown -R portal:portal /data
USER portal
EXPOSE 8000

CMD ["gunicorn", "portal.wsgi", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
