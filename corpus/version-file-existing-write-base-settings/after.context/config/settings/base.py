from pathlib import Path

ROOT_DIR = Path(__file__).resolve().parent.parent.parent
APPS_DIR = ROOT_DIR / "backend_django"

INSTALLED_APPS = [
    "django.contrib.staticfiles",
]

STATIC_ROOT = str(ROOT_DIR / "staticfiles")

# The app's version: VERSION.txt, which the image build writes from its APP_VERSION build argument
# (dockerfile-migrator version-file); "development" without it.
APP_VERSION_FILE = Path(__file__).resolve().parent.parent.parent / "VERSION.txt"
APP_VERSION = APP_VERSION_FILE.read_text(encoding="utf-8").strip() if APP_VERSION_FILE.exists() else "development"
