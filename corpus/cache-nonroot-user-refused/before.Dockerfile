FROM python:3.11-slim
RUN useradd --create-home bot
USER bot
WORKDIR /home/bot/app
COPY --chown=bot:bot requirements.txt .
RUN pip install --user --no-cache-dir -r requirements.txt
COPY --chown=bot:bot . .
CMD ["python", "bot.py"]
