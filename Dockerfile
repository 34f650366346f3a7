# factdesk: one image for the API and the workers (the command picks the role).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    FACTDESK_HOST=0.0.0.0

WORKDIR /app
# Dependencies first, so code edits do not reinstall them.
COPY pyproject.toml README.md ./
COPY settings.py ./
COPY service ./service
COPY workers ./workers
COPY schemas ./schemas
COPY keyspace ./keyspace
COPY vocabulary ./vocabulary
COPY stack ./stack
COPY data ./data
RUN pip install -e . \
    && useradd --system --uid 10001 --home-dir /app factdesk

USER factdesk
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)"
CMD ["factdesk", "serve"]
