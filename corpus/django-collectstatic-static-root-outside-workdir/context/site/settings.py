from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
STATIC_URL = "/static/"
# nginx serves this folder
STATIC_ROOT = "/var/www/site/static"
