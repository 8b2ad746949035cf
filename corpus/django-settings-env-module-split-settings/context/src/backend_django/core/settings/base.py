import os
from pathlib import Path

ROOT_DIR = Path(__file__).resolve().parents[2]

INSTALLED_APPS = ["django.contrib.staticfiles"]

STATIC_ROOT = ROOT_DIR / "staticfiles"
MEDIA_ROOT = os.environ.get("DJANGO_MEDIA_ROOT", str(ROOT_DIR / "mediafiles"))
LOG_DIR = ROOT_DIR / "logs" / "backend"

LOGGING = {
    "version": 1,
    "handlers": {
        "file": {
            "class": "logging.handlers.RotatingFileHandler",
            "filename": LOG_DIR / "django.log",
            "maxBytes": 10485760,
        },
    },
}
