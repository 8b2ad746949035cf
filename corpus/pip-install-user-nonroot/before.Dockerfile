FROM python:3.10-slim

RUN useradd --create-home --uid 1000 bot
USER bot
WORKDIR /home/bot/app

ENV PATH="/home/bot/.local/bin:${PATH}"

COPY --chown=bot:bot requirements.txt .
RUN pip install --user --no-cache-dir -r requirements.txt

COPY --chown=bot:bot . .

CMD ["python", "-m", "standupbot"]
