"""Throughput of the ingestion pass against a loopback moto S3: single worker versus the read-ahead pool.

Usage: ``.venv/bin/python bench/bench_ingest.py [--files 200] [--records 200] [--latency-ms 0]``.
``--latency-ms`` delays every GetObject on the server side, to show what the read-ahead hides on a real
network. Numbers are for comparison between settings on one machine, not absolute.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import tempfile
import threading
import time
from pathlib import Path

import boto3

from diagnostics.aws.clients import ClientSettings, make_client
from diagnostics.context import DoctorContext
from diagnostics.findings import SourceLocation
from diagnostics.ingest.engine import run_ingestion
from diagnostics.ingest.model import IngestRequest
from diagnostics.ingest.sinks import MemorySink
from diagnostics.wazuh.versions import profile_for
from diagnostics.wazuh.wodle import Block, Option

ACCOUNT = "123456789012"
PREFIX = f"AWSLogs/{ACCOUNT}/CloudTrail/us-east-1/2024/05/01/"


def seed(endpoint: str, files: int, records: int) -> None:
    client = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing",
                                   region_name="us-east-1").client("s3", endpoint_url=endpoint)
    client.create_bucket(Bucket="bench-trail")
    for n in range(files):
        body = {"Records": [{"eventName": f"Event{i}", "sourceIPAddress": "10.1.2.3", "eventVersion": "1.08",
                             "requestParameters": {"bucketName": "b", "key": f"k{i}"}}
                            for i in range(records)]}
        key = f"{PREFIX}{ACCOUNT}_CloudTrail_us-east-1_20240501T{n // 60:02d}{n % 60:02d}Z_{n:05d}.json.gz"
        client.put_object(Bucket="bench-trail", Key=key, Body=gzip.compress(json.dumps(body).encode()))


def one_pass(endpoint: str, workers: int, state_dir: Path) -> tuple[float, int, int]:
    session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing",
                                    region_name="us-east-1")
    client = make_client(session, "s3", ClientSettings(endpoint_url=endpoint))
    block = Block(kind="bucket", block_type="cloudtrail", location=SourceLocation("bench", 1),
                  options={"name": Option("name", "bench-trail"),
                           "only_logs_after": Option("only_logs_after", "2024-MAY-01")})
    context = DoctorContext(profile=profile_for((4, 14, 7), "bench"))
    request = IngestRequest(context=context, block=block, client=client, debug_level=0, workers=workers,
                            state_dir=state_dir, reset=True)
    started = time.perf_counter()
    summary = run_ingestion(request, sink=MemorySink(), cancel=threading.Event())
    return time.perf_counter() - started, summary.files_read, summary.events


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--records", type=int, default=200)
    parser.add_argument("--latency-ms", type=float, default=0.0)
    args = parser.parse_args()

    from moto.server import ThreadedMotoServer
    from werkzeug.serving import WSGIRequestHandler

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    if args.latency_ms:
        original = WSGIRequestHandler.handle_one_request

        def slow(self: WSGIRequestHandler) -> None:
            time.sleep(args.latency_ms / 1000)
            original(self)

        WSGIRequestHandler.handle_one_request = slow  # type: ignore[method-assign]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    try:
        seed(endpoint, args.files, args.records)
        with tempfile.TemporaryDirectory() as folder:
            for workers in (1, 4, 8):
                elapsed, files, events = one_pass(endpoint, workers, Path(folder) / f"w{workers}")
                print(f"workers={workers}: {files} files, {events} events in {elapsed:.2f} s "
                      f"({files / elapsed:.1f} files/s, {events / elapsed:.0f} events/s)")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
