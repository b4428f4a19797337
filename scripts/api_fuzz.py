"""Fuzz the JSON API with schemathesis against its own OpenAPI document.

Starts `duijie serve` on a throw-away data folder with the demo data, signs in as a member and
as an officer to create API tokens, then runs schemathesis three times — as a visitor (no
token), a member and an officer — with a bounded number of examples per operation. Fails on any
5xx, any status or content type the document does not list, or any answer that does not match
its documented schema. Usage: api_fuzz.py BINARY [EXAMPLES]
"""

import re
import subprocess
import sys
import tempfile
from pathlib import Path

import requests

PASSWORD = "duijie-demo-2026"
CHECKS = ",".join([
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
])


def token(base: str, email: str) -> str:
    s = requests.Session()
    page = s.get(f"{base}/login").text
    csrf = re.search(r'name="csrf-token" content="([0-9a-f]{64})"', page).group(1)
    r = s.post(f"{base}/login", data={"email": email, "password": PASSWORD, "csrf": csrf},
               allow_redirects=False)
    assert r.status_code == 303, f"{email} signs in: {r.status_code}"
    page = s.get(f"{base}/account").text
    csrf = re.search(r'name="csrf-token" content="([0-9a-f]{64})"', page).group(1)
    page = s.post(f"{base}/account/tokens", data={"name": "api-fuzz", "csrf": csrf}).text
    return re.search(r'id="new-token">([^<]+)<', page).group(1)


def main() -> int:
    binary, examples = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else "15")
    schemathesis = str(Path(sys.executable).parent / "schemathesis")
    with tempfile.TemporaryDirectory(prefix="duijie-api-fuzz-") as data:
        server = subprocess.Popen(
            [binary, "--data-dir", data, "serve", "--bind", "127.0.0.1:0"],
            stdout=subprocess.PIPE, text=True,
            env={"DUIJIE_LOG": "warn", "PATH": "/usr/bin:/bin"},
        )
        try:
            base = None
            for line in server.stdout:
                m = re.match(r"duijie listening on (\S+)", line)
                if m:
                    base = m.group(1)
                    break
            assert base, "duijie serve exited before listening"
            roles = [("visitor", None), ("member", token(base, "port@duijie.demo")),
                     ("officer", token(base, "officer@duijie.demo"))]
            failed = []
            for role, tok in roles:
                print(f"== schemathesis as {role} ({examples} examples per operation)", flush=True)
                cmd = [schemathesis, "run", f"{base}/api/v1/openapi.json", "--url", f"{base}/api/v1",
                       "--checks", CHECKS, "--max-examples", examples, "--seed", "2026",
                       "--workers", "2", "--phases", "examples,coverage,fuzzing",
                       "--warnings", "off", "--max-failures", "20"]
                if tok:
                    cmd += ["-H", f"Authorization: Bearer {tok}"]
                if subprocess.run(cmd).returncode != 0:
                    failed.append(role)
            if failed:
                print(f"schemathesis found failures as: {', '.join(failed)}")
                return 1
            return 0
        finally:
            server.kill()


if __name__ == "__main__":
    sys.exit(main())
