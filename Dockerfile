# The portal's image: gunicorn by default; the same image runs the `migrate`, `worker` and
# `beat` services of docker-compose.yml (see docs/decisions/0004-deployment.md).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    UV_NO_CACHE=1

# WeasyPrint's native libraries, CJK fonts for certificates, msgfmt for compilemessages.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        fonts-noto-cjk \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz-subset0 \
        gettext \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system portal \
    && useradd --system --gid portal --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin portal

WORKDIR /app

# Dependencies before the code, so that a code change does not reinstall them.
COPY requirements.lock ./
RUN pip install uv && uv pip install --system -r requirements.lock

# The code stays owned by root: the runtime user can read it but not change it.
COPY . .

ENV DJANGO_ENV=production

# Production settings refuse to load without every secret (portal/keys.py). Throwaway keys
# exist only for this RUN step and are deleted in it; containers get the real ones from
# SECRETS_DIR or NAME / NAME_FILE.
RUN python -m portal.keys /tmp/build-keys >/dev/null \
    && SECRETS_DIR=/tmp/build-keys AUDIT_CHECKPOINT_DIR=/tmp/build-checkpoints ALLOWED_HOSTS=localhost \
       sh -c 'python manage.py compilemessages -v 0 && python manage.py collectstatic --noinput -v 0' \
    && rm -rf /tmp/build-keys

# Writable state lives only under /data (named volumes: media shared by web and worker, beat's
# schedule, the signed audit checkpoints). Created here so that new named volumes inherit the portal user's ownership.
RUN mkdir -p /data/media /data/beat /data/audit-checkpoints && chown -R portal:portal /data

USER portal

ENV MEDIA_ROOT=/data/media \
    WEB_CONCURRENCY=3

EXPOSE 8000

# Production settings redirect plain HTTP to HTTPS and check the Host header, so the probe says
# it came through the TLS proxy and uses the first ALLOWED_HOSTS entry as its Host.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as u; h = os.environ.get('ALLOWED_HOSTS', '').split(',')[0].strip().lstrip('.*') or 'localhost'; u.urlopen(u.Request('http://127.0.0.1:8000/healthz/', headers={'Host': h, 'X-Forwarded-Proto': 'https'}), timeout=4)"]

# `exec` so that gunicorn is PID 1 and gets SIGTERM for a graceful shutdown.
CMD ["sh", "-c", "exec gunicorn portal.wsgi:application --bind 0.0.0.0:8000 --workers \"${WEB_CONCURRENCY:-3}\" --max-requests 1000 --max-requests-jitter 100 --worker-tmp-dir /dev/shm --access-logfile - --error-logfile -"]
