"""ODS and XLSX files are zip archives: their directory is checked before anything is inflated.

A zip bomb declares its sizes in the central directory; Python's zipfile never inflates a member past its declared
size (a member that lies fails its CRC check instead), so refusing large declared sizes bounds what reading costs.
The number of members is read from the end record first: a directory of a million entries costs memory to list.
"""

from __future__ import annotations

import io
import struct
import zipfile

from atelier.imports.limits import Budget, Limits

_END = b"PK\x05\x06"  # end of central directory record
_END_64 = b"PK\x06\x06"  # its zip64 form


def _directory_size(content: bytes) -> tuple[int, int] | None:
    """(entries, directory bytes) as the end record declares them; None when there is no end record."""
    tail = content[-(65_536 + 22):]
    at = tail.rfind(_END)
    if at < 0 or len(tail) - at < 22:
        return None
    entries, size = struct.unpack("<xxxxxxxxxxHI", tail[at:at + 16])
    if entries == 0xFFFF or size == 0xFFFFFFFF:
        at64 = tail.rfind(_END_64, 0, at)
        if at64 < 0 or len(tail) - at64 < 56:
            return None
        entries, size = struct.unpack("<QQ", tail[at64 + 32:at64 + 48])
    return entries, size


def open_zip(name: str, content: bytes, limits: Limits) -> zipfile.ZipFile:
    """The archive, once its directory and declared sizes are within the limits; zipfile.BadZipFile if damaged."""
    budget = Budget(name, limits)
    declared = _directory_size(content)
    if declared is None:
        raise zipfile.BadZipFile("no end of central directory")
    entries, directory = declared
    if entries > limits.zip_members or directory > limits.zip_directory_bytes:
        raise budget.refuse(f"est une archive de {entries} fichiers")
    archive = zipfile.ZipFile(io.BytesIO(content))
    members = archive.infolist()
    if len(members) > limits.zip_members:
        archive.close()
        raise budget.refuse(f"est une archive de {len(members)} fichiers")
    total = 0
    for member in members:
        total += member.file_size
        cap = limits.unzipped_member_bytes
        if member.filename.endswith("sharedStrings.xml"):
            cap = limits.shared_strings_bytes
        elif member.filename == "mimetype":
            cap = 1024  # read whole to tell ODS apart: a few dozen bytes
        if member.file_size > cap or total > limits.unzipped_bytes:
            archive.close()
            raise budget.refuse("est trop volumineux une fois décompressé "
                                f"({member.filename[:60]} : {member.file_size // 1_000_000} Mo)")
    return archive
