"""Django settings for mysite (hand-edited over the years)."""
import os   # only os: no pathlib here

BASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SECRET_KEY = os.environ.get( 'SECRET_KEY' ,'dev-only' )   # odd spacing kept
DEBUG=os.environ.get("DEBUG") == "1"
ALLOWED_HOSTS = ['*',
        ]

STATIC_ROOT = os.path.join(BASE_DIR, 'staticfiles')
MEDIA_ROOT  = os.path.join(BASE_DIR, 'media')

# end of settings
