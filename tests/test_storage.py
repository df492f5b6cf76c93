from __future__ import annotations

from pathlib import Path

from roadmap_tui.storage import filesystem_type, network_warning

MOUNTS = """\
/dev/sda1 / ext4 rw 0 0
server:/export /mnt/team nfs4 rw 0 0
//nas/share /mnt/nas cifs rw 0 0
/dev/sdb1 /mnt/team/local ext4 rw 0 0
"""


def test_the_longest_mount_point_wins() -> None:
    assert filesystem_type(Path("/home/ana/w.db"), MOUNTS) == "ext4"
    assert filesystem_type(Path("/mnt/team/w.db"), MOUNTS) == "nfs4"
    assert filesystem_type(Path("/mnt/team/local/w.db"), MOUNTS) == "ext4"
    assert filesystem_type(Path("/mnt/teamwork/w.db"), MOUNTS) == "ext4"  # not under /mnt/team


def test_network_filesystems_are_warned_about() -> None:
    assert network_warning(Path("/home/ana/w.db"), MOUNTS) is None
    warning = network_warning(Path("/mnt/nas/w.db"), MOUNTS)
    assert warning is not None and "network filesystem (cifs)" in warning


def test_this_machine_answers_without_error(tmp_path: Path) -> None:
    # /proc/mounts exists here; the test directory is on some filesystem
    assert filesystem_type(tmp_path / "w.db") is not None
