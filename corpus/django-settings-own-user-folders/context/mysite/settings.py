from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = "corpus-not-secret"
INSTALLED_APPS = ["django.contrib.staticfiles"]
MEDIA_ROOT = "/srv/media"

DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}}

LOGGING = {
    "version": 1,
    "handlers": {"file": {"class": "logging.FileHandler", "filename": BASE_DIR / "logs" / "django.log"}},
    "root": {"handlers": ["file"], "level": "INFO"},
}
