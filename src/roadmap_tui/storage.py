"""Where a workspace file lives: SQLite's locking is only reliable on a local filesystem,
and a full disk is said as such."""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

# Filesystems on which SQLite's file locks (and WAL's shared memory) cannot be trusted.
NETWORK_FILESYSTEMS = {
    "nfs", "nfs4", "cifs", "smb3", "smbfs", "afs", "9p", "ceph", "glusterfs", "lustre",
    "fuse.sshfs", "fuse.rclone", "fuse.s3fs", "fuse.gcsfuse", "davfs", "fuse.davfs2",
}  # fmt: skip


def filesystem_type(path: Path, mounts: str | None = None) -> str | None:
    """The type of the filesystem `path` is on, from /proc/mounts; None where unknown."""
    if mounts is None:
        try:
            mounts = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None  # not Linux, or no /proc: nothing to say
    target = os.path.realpath(path)
    best, best_type = "", None
    for line in mounts.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        mount_point = parts[1].replace("\\040", " ")
        inside = target == mount_point or target.startswith(mount_point.rstrip("/") + "/")
        if inside and len(mount_point) > len(best):
            best, best_type = mount_point, parts[2]
    return best_type


def network_warning(path: Path, mounts: str | None = None) -> str | None:
    """A one-line warning when `path` is on a network filesystem, else None."""
    kind = filesystem_type(path, mounts)
    if kind is None or kind not in NETWORK_FILESYSTEMS:
        return None
    return (
        f"{path.name} is on a network filesystem ({kind}): SQLite's locking is not reliable "
        "there, so two people writing at once can corrupt it. Keep shared workspaces on a "
        "local disk and share the terminal (SSH or `roadmap-tui serve`) instead."
    )


# An I/O error while less than this is free is the disk being full: SQLite says "database
# or disk is full" only when a write comes up short, and "disk I/O error" when its
# shared-memory file cannot grow, which is what a full disk gave (issue 22).
NEARLY_FULL = 1 << 20
FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})


def disk_full(path: Path) -> bool:
    """Whether the filesystem that holds `path` has (almost) no room left for this user."""
    try:
        return shutil.disk_usage(path.parent).free < NEARLY_FULL
    except OSError:
        return False


def full(path: Path) -> str:
    """What a write to `path` that found the disk full says."""
    return f"cannot write {path}: the disk is full"
