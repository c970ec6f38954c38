"""The baseline of the REST benchmarks: a bare FastAPI app with one read and one write, no database."""

from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()


class Thing(BaseModel):
    name: str
    amount: int


@app.get("/bare/{item_id}")
async def read(item_id: str) -> dict[str, str]:
    return {"id": item_id, "name": "中卫市示例企业"}


@app.post("/bare", status_code=201)
async def write(thing: Thing) -> Thing:
    return thing
