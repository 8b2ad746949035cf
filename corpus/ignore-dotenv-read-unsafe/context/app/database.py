import os

from dotenv import load_dotenv
from sqlalchemy import create_engine

# the committed .env holds the database URL
load_dotenv()
DATABASE_URL = os.environ["DATABASE_DEV_URL"]
engine = create_engine(DATABASE_URL)
