# 义马 全域网格: one image for web (gunicorn), Celery worker and beat. See docker-compose.yml.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    YIMA_VAR_DIR=/app/var

# npm for the browser libraries (served by the app, no CDN); gettext for compilemessages.
RUN apt-get update \
    && apt-get install -y --no-install-recommends nodejs npm gettext \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first, so a code change does not reinstall them.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY pyproject.toml ./
RUN pip install .

COPY . .
# Settings refuse to start without a secret when DEBUG is off; these values serve the build only.
RUN DEBUG=false SECRET_KEY=build-only-not-a-secret-0123456789-abcdefghijklmnopqrstuv \
      python manage.py compilemessages -v0 --ignore=node_modules \
    && DEBUG=false SECRET_KEY=build-only-not-a-secret-0123456789-abcdefghijklmnopqrstuv \
      python manage.py collectstatic --noinput -v0 \
    && useradd --system --uid 1000 --home-dir /app yima \
    && mkdir -p /app/var/media \
    && chown -R yima /app/var

USER yima
EXPOSE 8000
CMD ["gunicorn", "yima_gov.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--threads", "4", "--access-logfile", "-"]
