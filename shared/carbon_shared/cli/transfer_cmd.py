"""`carbonctl import` / `export`: move CSV and XLSX files through the services' public APIs."""

from __future__ import annotations

import argparse
from pathlib import Path

import httpx

from carbon_shared.auth import mint_token
from carbon_shared.cli.progress import Progress
from carbon_shared.settings import PlatformSettings


def _client(args: argparse.Namespace, settings: PlatformSettings) -> httpx.Client:
    bearer = args.token or mint_token(secret=settings.jwt_secret, role="regulator", sub="carbonctl")
    return httpx.Client(base_url=args.url, headers={"Authorization": f"Bearer {bearer}"}, timeout=300)


def import_file(args: argparse.Namespace, settings: PlatformSettings, *, out=print) -> int:
    """POST a CSV/XLSX file to an import endpoint (e.g. /v1/enterprises/import) and show its report."""
    path = Path(args.file)
    progress = Progress(f"uploading {path.name}", path.stat().st_size)
    with _client(args, settings) as client, path.open("rb") as handle:
        response = client.post(args.endpoint, files={"file": (path.name, _tracked(handle, progress))})
    progress.finish()
    out(response.text)
    return 0 if response.is_success else 1


def export_file(args: argparse.Namespace, settings: PlatformSettings, *, out=print) -> int:
    """GET an export endpoint (e.g. /v1/enterprises/export?format=xlsx) into a file."""
    target = Path(args.output)
    with _client(args, settings) as client, client.stream("GET", args.endpoint) as response:
        if not response.is_success:
            out(response.read().decode("utf-8", "replace"))
            return 1
        total = int(response.headers.get("content-length") or 0) or None
        progress = Progress(f"downloading {target.name}", total)
        with target.open("wb") as handle:
            for chunk in response.iter_bytes():
                handle.write(chunk)
                progress.advance(len(chunk))
        progress.finish()
    out(f"wrote {target}")
    return 0


def _tracked(handle, progress: Progress) -> bytes:
    chunks = []
    while chunk := handle.read(1 << 16):
        chunks.append(chunk)
        progress.advance(len(chunk))
    return b"".join(chunks)
