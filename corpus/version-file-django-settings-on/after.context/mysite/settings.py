"""Django settings for mysite (hand-edited over the years)."""
import os   # only os: no pathlib here
from pathlib import Path

BASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SECRET_KEY = os.environ.get( 'SECRET_KEY' ,'dev-only' )   # odd spacing kept
DEBUG=os.environ.get("DEBUG") == "1"
ALLOWED_HOSTS = ['*',
        ]

STATIC_ROOT = os.path.join(BASE_DIR, 'staticfiles')
MEDIA_ROOT  = os.path.join(BASE_DIR, 'media')

# The app's version: VERSION.txt, which the image build writes from its APP_VERSION build argument
# (dockerfile-migrator version-file); "development" without it.
APP_VERSION_FILE = Path(__file__).resolve().parent.parent / "VERSION.txt"
APP_VERSION = APP_VERSION_FILE.read_text(encoding="utf-8").strip() if APP_VERSION_FILE.exists() else "development"

# end of settings
