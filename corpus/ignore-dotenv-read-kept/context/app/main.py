from fastapi import FastAPI

from app.database import engine

app = FastAPI()
