# Helpline on its embedded defaults: SQLite and FAISS files under /data, bundled model.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    HELPLINE_DATA_DIR=/data \
    HELPLINE_SERVER__HOST=0.0.0.0 \
    HF_HUB_OFFLINE=1

WORKDIR /app
COPY pyproject.toml constraints-cpu.txt README.md ./
COPY bots ./bots
COPY core ./core
COPY kb_index ./kb_index
COPY config ./config

# The constraints file pins torch 2.13.0; the CPU wheel index provides 2.13.0+cpu, which
# satisfies the pin and is a fraction of the size of the default CUDA build.
RUN pip install -c constraints-cpu.txt --extra-index-url https://download.pytorch.org/whl/cpu . \
    && useradd --create-home --uid 10001 helpline \
    && mkdir -p /data && chown helpline /data

USER helpline
VOLUME ["/data"]
# `helpline serve` listens here (health check at /healthz); the default command is the console.
EXPOSE 8080
ENTRYPOINT ["helpline"]
CMD ["chat"]
