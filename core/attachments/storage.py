"""Where attachment files live, and how they are written and checked."""

import hashlib
import secrets
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

# Extensions accepted, with the first bytes each kind of file must start
# with (None when the format has no fixed signature, such as plain text).
ALLOWED_TYPES = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (b"PK\x03\x04",),
    ),
    ".xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        (b"PK\x03\x04",),
    ),
    ".odt": ("application/vnd.oasis.opendocument.text", (b"PK\x03\x04",)),
    ".ods": ("application/vnd.oasis.opendocument.spreadsheet", (b"PK\x03\x04",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".txt": ("text/plain", None),
    ".csv": ("text/csv", None),
    ".eml": ("message/rfc822", None),
}
CHUNK = 64 * 1024


class AttachmentError(ValueError):
    """The upload cannot be stored; the message tells the user what to do."""


@dataclass(frozen=True)
class StoredFile:
    storage_name: str
    content_type: str
    size_bytes: int
    sha256: str


def folder() -> Path:
    """Return the attachment folder: REGISTER_ATTACHMENT_DIR, else instance/attachments."""
    configured = current_app.config["REGISTER_ATTACHMENT_DIR"]
    path = Path(configured) if configured else Path(current_app.instance_path) / "attachments"
    path.mkdir(parents=True, exist_ok=True)
    return path


def max_bytes() -> int:
    return int(current_app.config["REGISTER_ATTACHMENT_MAX_MB"] * 1024 * 1024)


def store(stream, filename: str) -> StoredFile:
    """Write an uploaded stream to the folder under a random name, checking type and size."""
    extension = Path(filename).suffix.lower()
    if extension not in ALLOWED_TYPES:
        kinds = ", ".join(sorted(ext.lstrip(".").upper() for ext in ALLOWED_TYPES))
        raise AttachmentError(f"The file must be one of these types: {kinds}")
    content_type, signatures = ALLOWED_TYPES[extension]
    limit = max_bytes()
    storage_name = secrets.token_hex(16)
    target = folder() / storage_name
    digest = hashlib.sha256()
    size = 0
    first = b""
    try:
        with target.open("xb") as out:
            while chunk := stream.read(CHUNK):
                if not first:
                    first = chunk[:16]
                size += len(chunk)
                if size > limit:
                    megabytes = current_app.config["REGISTER_ATTACHMENT_MAX_MB"]
                    raise AttachmentError(f"The file must be smaller than {megabytes} MB")
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise AttachmentError("The selected file is empty")
        if signatures and not any(first.startswith(sig) for sig in signatures):
            raise AttachmentError(
                f"The file's contents are not a {extension.lstrip('.').upper()} file. "
                "Check you selected the right file"
            )
    except AttachmentError:
        target.unlink(missing_ok=True)
        raise
    return StoredFile(storage_name, content_type, size, digest.hexdigest())


def path_of(attachment) -> Path:
    return folder() / attachment.storage_name


def checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
