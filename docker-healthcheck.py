"""The image's HEALTHCHECK: exit 0 when this container's /healthz/ answers 200, else 1.

Python's urllib, because the slim base image has no curl. The request names a host from
ALLOWED_HOSTS, as a real client would, so Django's host check accepts it.
"""

import os
import sys
import urllib.request


def probe_host() -> str:
    """The first concrete host in ALLOWED_HOSTS (``localhost`` if there is none)."""
    for host in os.environ.get("ALLOWED_HOSTS", "").split(","):
        host = host.strip().lstrip(".")
        if host and host != "*":
            return host
    return "localhost"


def main() -> int:
    """Probe ``http://127.0.0.1:$PORT/healthz/``; 0 when healthy."""
    url = f"http://127.0.0.1:{os.environ.get('PORT', '8000')}/healthz/"
    request = urllib.request.Request(url, headers={"Host": probe_host()})
    try:
        with urllib.request.urlopen(request, timeout=3) as response:
            return 0 if response.status == 200 else 1
    except OSError as error:  # URLError and HTTPError (non-2xx) included
        print(f"healthcheck failed: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
