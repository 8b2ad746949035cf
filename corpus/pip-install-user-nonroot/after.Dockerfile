FROM python:3.10-slim AS builder

RUN useradd --create-home --uid 1000 bot
RUN mkdir -p /opt/venv && chown bot /opt/venv
USER bot
WORKDIR /home/bot/app

ENV PATH="/home/bot/.local/bin:${PATH}"

COPY --chown=bot:bot requirements.txt .
RUN python -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN pip install --no-cache-dir -r requirements.txt

FROM python:3.10-slim AS runtime
RUN useradd --create-home --uid 1000 bot
RUN mkdir -p /opt/venv && chown bot /opt/venv
USER bot
WORKDIR /home/bot/app
ENV PATH="/home/bot/.local/bin:${PATH}"
COPY --chown=bot:bot requirements.txt .
COPY --from=builder /opt/venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"

COPY --chown=bot:bot . .

CMD ["python", "-m", "standupbot"]
