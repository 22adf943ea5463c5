"""Benchmark: upload 500 images of ~50 KB to a local sshd, ours vs OpenSSH's `sftp -b`, same run.

    .venv/bin/python bench/sftp_upload.py [--files 500] [--size 50000] [--rounds 3] [--channels 4]

Each round uploads the same files into a fresh remote directory, once with `sftp -b` (one batch of
put commands; OpenSSH pipelines each file's writes) and once with ornaments.uploads (atomic temp +
posix_rename, SHA-256 of each file, product_images records in SQLite, N channels on one connection).
A final run of ours over the same files must upload 0 bytes. Medians go to stdout and bench/out/;
the ratio is the median of per-round ratios, which cancels most of the noise of a shared machine.
Targets: ours >= 0.8x the throughput of `sftp -b`; the re-run uploads 0 bytes.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ornaments.storage.images import ImageRecords  # noqa: E402
from ornaments.uploads import SftpConfig  # noqa: E402
from ornaments.uploads.run import ImageFile, ImageUploader  # noqa: E402
from tests.fixtures.sshd import start_sshd  # noqa: E402


def make_files(root: Path, count: int, size: int) -> list[ImageFile]:
    files = []
    for number in range(count):
        relative = f"bench/full/{number:05d}.jpg"
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_bytes(os.urandom(size))
        files.append(ImageFile("bench", f"P{number}", relative))
    return files


def openssh_upload(sshd, root: Path, files: list[ImageFile], remote: Path, work: Path) -> float:
    batch = work / "batch.txt"
    lines = [f"-mkdir {remote}", f"-mkdir {remote}/bench", f"-mkdir {remote}/bench/full"]
    lines += [f"put {root / f.path} {remote / f.path}" for f in files]
    batch.write_text("\n".join(lines) + "\n")
    started = time.perf_counter()
    subprocess.run(["sftp", "-q", "-b", str(batch), "-i", str(sshd.client_key), "-P", str(sshd.port),
                    "-o", f"UserKnownHostsFile={sshd.known_hosts}", "-o", "StrictHostKeyChecking=yes",
                    "-o", "BatchMode=yes", f"{sshd.user}@{sshd.host}"], check=True, capture_output=True)
    return time.perf_counter() - started


def ours_upload(sshd, root: Path, files: list[ImageFile], remote: Path, db: str, channels: int):
    config = SftpConfig.from_settings(sshd.env(SFTP_REMOTE_DIR=str(remote), SFTP_CHANNELS=str(channels)))
    records = ImageRecords(db)
    records.create_table()
    started = time.perf_counter()
    uploader = ImageUploader(config, records, root)
    uploader.start()
    for file in files:
        uploader.submit(file)
    stats = uploader.finish()
    elapsed = time.perf_counter() - started
    records.close()
    assert stats.failed == 0, stats
    return elapsed, stats


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=500)
    parser.add_argument("--size", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--channels", type=int, default=4)
    args = parser.parse_args()
    megabytes = args.files * args.size / 1e6
    with tempfile.TemporaryDirectory(prefix="sftp-bench-") as tmp:
        work = Path(tmp)
        sshd = start_sshd(work / "sshd")
        try:
            root = work / "images"
            files = make_files(root, args.files, args.size)
            theirs, ours, ours_one = [], [], []
            for round_no in range(args.rounds):
                theirs.append(openssh_upload(sshd, root, files, sshd.remote_dir / f"openssh{round_no}", work))
                seconds, stats = ours_upload(sshd, root, files, sshd.remote_dir / f"ours{round_no}",
                                             f"sqlite:///{work}/ours{round_no}.sqlite3", args.channels)
                assert stats.uploaded == args.files
                ours.append(seconds)
                seconds, _ = ours_upload(sshd, root, files, sshd.remote_dir / f"one{round_no}",
                                         f"sqlite:///{work}/one{round_no}.sqlite3", 1)
                ours_one.append(seconds)
            rerun_seconds, rerun = ours_upload(sshd, root, files, sshd.remote_dir / "ours0",
                                               f"sqlite:///{work}/ours0.sqlite3", args.channels)
            for round_no in range(args.rounds):  # same bytes landed both ways
                for f in files[:: max(1, args.files // 20)]:
                    data = (root / f.path).read_bytes()
                    assert (sshd.remote_dir / f"ours{round_no}" / f.path).read_bytes() == data
                    assert (sshd.remote_dir / f"openssh{round_no}" / f.path).read_bytes() == data
        finally:
            sshd.stop()
    result = {
        "files": args.files, "bytes_each": args.size, "rounds": args.rounds, "channels": args.channels,
        "openssh_sftp_b_s": round(statistics.median(theirs), 3),
        "ours_s": round(statistics.median(ours), 3),
        "ours_1_channel_s": round(statistics.median(ours_one), 3),
        "openssh_MBps": round(megabytes / statistics.median(theirs), 1),
        "ours_MBps": round(megabytes / statistics.median(ours), 1),
        "ours_1_channel_MBps": round(megabytes / statistics.median(ours_one), 1),
        # Paired per round (the same moment's load on a shared machine), then the median.
        "ratio": round(statistics.median(t / o for t, o in zip(theirs, ours)), 2),
        "ratio_1_channel": round(statistics.median(t / o for t, o in zip(theirs, ours_one)), 2),
        "rerun_s": round(rerun_seconds, 3), "rerun_uploaded_bytes": rerun.uploaded_bytes,
        "rerun_unchanged": rerun.unchanged, "cpus": os.cpu_count(),
    }
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "sftp_upload.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    ok = result["ratio"] >= 0.8 and result["rerun_uploaded_bytes"] == 0
    print("targets met" if ok else "TARGETS MISSED: need ratio >= 0.8 and a re-run of 0 bytes")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
