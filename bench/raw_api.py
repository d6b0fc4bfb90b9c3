#!/usr/bin/env python3
"""The daemon's own limit, with no tool in between: the Engine API called straight on the
socket, every container's calls in parallel, one thread each.

  raw_api.py up N PREFIX    a network PREFIX, then N containers PREFIX-1..N: create + start
  raw_api.py down PREFIX    every container named PREFIX-*: stop + remove, then the network

The containers are the ones run and docker-compose make (bench/run.sh): the same image and
command, `init: true`, on a user-defined network with the service's name as an alias (the
default bridge is cheaper for the daemon, and neither tool uses it). The stop uses Docker's
default grace of 10 s, as `run destroy` and `docker-compose down` do.
"""
import concurrent.futures
import http.client
import json
import socket
import sys
import time
import urllib.parse

SOCKET = "/var/run/docker.sock"
API = "/v1.41"
IMAGE = "run-demo/busybox:latest"


class UnixConnection(http.client.HTTPConnection):
    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX)
        self.sock.connect(SOCKET)


def call(method, path, body=None, ok_statuses=()):
    connection = UnixConnection("docker", timeout=300)
    payload = json.dumps(body) if body is not None else None
    connection.request(method, API + path, body=payload, headers={"Content-Type": "application/json"})
    response = connection.getresponse()
    data = response.read()
    connection.close()
    if response.status >= 300 and response.status not in ok_statuses:
        raise SystemExit(f"raw_api: {method} {path}: {response.status} {data[:200]!r}")
    return json.loads(data) if data else None


def up(count, prefix):
    call("POST", "/networks/create", {"Name": prefix, "CheckDuplicate": True})

    def create_and_start(index):
        body = {"Image": IMAGE, "Cmd": ["sleep", "100000"],
                "HostConfig": {"Init": True, "NetworkMode": prefix},
                "NetworkingConfig": {"EndpointsConfig": {prefix: {"Aliases": [f"s{index}"]}}}}
        created = call("POST", f"/containers/create?name={prefix}-{index}", body)
        call("POST", f"/containers/{created['Id']}/start")

    with concurrent.futures.ThreadPoolExecutor(count) as pool:
        list(pool.map(create_and_start, range(1, count + 1)))


def down(prefix):
    filters = urllib.parse.quote(json.dumps({"name": [f"^/{prefix}-"]}))
    listed = call("GET", "/containers/json?all=1&filters=" + filters)
    ids = [container["Id"] for container in listed]

    def stop_and_remove(container_id):
        call("POST", f"/containers/{container_id}/stop?t=10", ok_statuses=(304,))
        call("DELETE", f"/containers/{container_id}")

    if ids:
        with concurrent.futures.ThreadPoolExecutor(len(ids)) as pool:
            list(pool.map(stop_and_remove, ids))
    # Under load the daemon releases a removed container's endpoint a moment later, and
    # refuses the network's removal (403, active endpoints) until then: retry for 10 s.
    for _ in range(40):
        try:
            call("DELETE", f"/networks/{prefix}", ok_statuses=(404,))
            return
        except SystemExit as refused:
            if " 403 " not in str(refused):
                raise
        time.sleep(0.25)
    call("DELETE", f"/networks/{prefix}", ok_statuses=(404,))


def main(argv):
    if len(argv) == 4 and argv[1] == "up":
        return up(int(argv[2]), argv[3])
    if len(argv) == 3 and argv[1] == "down":
        return down(argv[2])
    raise SystemExit("usage: raw_api.py up N PREFIX | raw_api.py down PREFIX")


if __name__ == "__main__":
    main(sys.argv)
