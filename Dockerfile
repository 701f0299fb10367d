# The Summit Briefing API: gunicorn serving briefing.wsgi, static files served by WhiteNoise.
# Build: docker build -t summit-briefing-api .   Run and configure: docs/operations.md.
# Python 3.11, as the test suite runs on.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PORT=8000

WORKDIR /app

# Dependencies first, in their own layer: a code change does not reinstall them.
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY . .

# Static files are collected into the image. Settings refuse to load without a SECRET_KEY, so
# this one step gets a throwaway key; it lives only in this RUN, not in the image's environment.
RUN SECRET_KEY=collectstatic-build-only-not-a-secret ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput

# An unprivileged numeric user; /data is where a SQLite DATABASE_URL can point (mount a volume).
RUN groupadd --system --gid 10001 app \
    && useradd --system --no-log-init --uid 10001 --gid app --no-create-home --home-dir /nonexistent app \
    && mkdir /data \
    && chown app:app /data
USER 10001:10001

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "/app/docker-healthcheck.py"]
ENTRYPOINT ["/app/docker-entrypoint.sh"]
CMD ["gunicorn", "--config", "gunicorn.conf.py", "briefing.wsgi:application"]
