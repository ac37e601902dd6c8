# The Community Voice app image: API and workers run from the same image.
FROM node:20-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --omit=dev

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
COPY pyproject.toml requirements.lock README.md ./
# The floors, bottom up (ARCHITECTURE.md).
COPY models models
COPY activities activities
COPY notifications notifications
COPY workflows workflows
COPY services services
COPY api api
COPY cli cli
COPY worker worker
COPY migrations migrations
COPY alembic.ini ./
COPY demo demo
RUN pip install --no-cache-dir -c requirements.lock . \
    && useradd --system --uid 10001 app
COPY --from=assets /app/node_modules/nhsuk-frontend/dist/nhsuk /app/assets/nhsuk
COPY --from=assets /app/node_modules/swagger-ui-dist /app/assets/swagger-ui
ENV CVT_NHSUK_ASSETS_DIR=/app/assets/nhsuk CVT_SWAGGER_UI_DIR=/app/assets/swagger-ui
USER app
EXPOSE 8000
# Refuses to start with development settings: set CVT_ENVIRONMENT=production and CVT_SECRET_KEY.
CMD ["cvt", "api", "--host", "0.0.0.0", "--port", "8000"]
