# One image recipe for every service; pick the service with a build argument, from the repository root:
#   docker build --build-arg SERVICE=conversation -t inkline-conversation .
# SERVICE is the folder name under services/ (conversation, calendar, payments, notifier, campaigns, studio),
# or `sandbox` for the sandbox hub (tools/sandbox), which compose and the dev cluster run as the providers.
ARG SERVICE

FROM python:3.11-slim AS build
ARG SERVICE
RUN test -n "$SERVICE" || (echo "set --build-arg SERVICE=<a folder under services/, or sandbox>" && exit 1)
RUN pip install --no-cache-dir uv==0.13.9
WORKDIR /src
COPY . .
# Third-party versions come from uv.lock; the workspace packages are built as wheels.
RUN (test -f "services/$SERVICE/pyproject.toml" || test -f "tools/$SERVICE/pyproject.toml") \
 && uv export --frozen --no-dev --no-emit-workspace --no-hashes --package "inkline-$SERVICE" -o /wheels/requirements.txt \
 && uv build --wheel --package inkline-contracts --out-dir /wheels \
 && uv build --wheel --package inkline-platform --out-dir /wheels \
 && uv build --wheel --package "inkline-$SERVICE" --out-dir /wheels

FROM python:3.11-slim
ARG SERVICE
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir -r /wheels/requirements.txt \
 && pip install --no-cache-dir --no-deps /wheels/*.whl \
 && rm -rf /wheels \
 && useradd --system --uid 10001 inkline
USER 10001
# The module is kept in the image's environment so the one CMD below starts the right service;
# Kubernetes and compose name the command explicitly anyway (serve, or migrate for the Job).
ENV INKLINE_SERVICE_MODULE=inkline_${SERVICE} HTTP_HOST=0.0.0.0 HTTP_PORT=8000 LOG_JSON=1
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s CMD python -c "import urllib.request as u; u.urlopen('http://127.0.0.1:8000/healthz')"
# exec: the service, not the shell, is PID 1 and receives SIGTERM.
CMD ["sh", "-c", "exec python -m \"$INKLINE_SERVICE_MODULE\" serve"]
