FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update && apt-get install -y --no-install-recommends make fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md ./
COPY config config
COPY marketplace marketplace
COPY producers producers
COPY traceability traceability
COPY storefront storefront
COPY fixtures fixtures
COPY locale locale
COPY bin bin
COPY manage.py Makefile ./
RUN python -m venv /app/.venv && /app/.venv/bin/pip install --quiet . && touch /app/.venv/.installed
EXPOSE 8000
# Production: no sample data, placeholder secrets refused (docker-compose runs the demo).
CMD ["bin/serve"]
