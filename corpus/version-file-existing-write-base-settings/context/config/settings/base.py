from pathlib import Path

ROOT_DIR = Path(__file__).resolve().parent.parent.parent
APPS_DIR = ROOT_DIR / "backend_django"

INSTALLED_APPS = [
    "django.contrib.staticfiles",
]

STATIC_ROOT = str(ROOT_DIR / "staticfiles")
