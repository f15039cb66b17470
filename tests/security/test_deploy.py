"""The production samples in docs/deploy/ work as they say, on real servers: gunicorn
with docs/deploy/gunicorn.conf.py (two instances side by side on one host, no control
socket, no server name or version in ``Server``), nginx with docs/deploy/nginx.conf in
front of it (bodies buffered and bounded, static files from disk), and the
development server names no versions either. A burst of huge form bodies leaves the
health check answering at once."""

import http.client
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "docs" / "deploy"
HOST = "crm.desa.id"  # the sample's server_name
STRONG_SECRET = "deploy-sample-test-0123456789-abcdefghijklmnopqrstuvwxyz"
HUGE_FORM = b"a=1&" * 1_900_000  # 7.6 MB


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(ok, what: str, process: subprocess.Popen, log: Path, seconds: float = 90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{what} stopped:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            if ok():
                return
        except OSError:
            pass
        time.sleep(0.2)
    pytest.fail(f"{what} did not answer:\n{log.read_text(errors='replace')[-3000:]}")


def get(port: int, path: str, tls: bool = False, host: str = "127.0.0.1"):
    """(status, headers, body) of a GET on 127.0.0.1:``port``."""
    if tls:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE  # the test's own self-signed certificate
        connection = http.client.HTTPSConnection("127.0.0.1", port, timeout=30,
                                                 context=context)
    else:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Host": host})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def post_huge_form(port: int, path: str, tls: bool = False) -> str:
    """POST 7.6 MB of form fields; the answer's status, or how the server cut it off
    (a server may close the connection after answering, before reading it all)."""
    if tls:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        connection = http.client.HTTPSConnection("127.0.0.1", port, timeout=60,
                                                 context=context)
    else:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("POST", path, body=HUGE_FORM, headers={
            "Host": HOST, "Content-Type": "application/x-www-form-urlencoded"})
        return str(connection.getresponse().status)
    except (BrokenPipeError, ConnectionResetError):
        return "closed"
    finally:
        connection.close()


@contextmanager
def gunicorn(tmp_path: Path, database_url: str, name: str):
    """gunicorn started as the sample says, with its own port."""
    port = free_port()
    run = tmp_path / "run"  # XDG_RUNTIME_DIR, where a control socket would go
    home = tmp_path / "home"
    run.mkdir(exist_ok=True)
    home.mkdir(exist_ok=True)
    env = {
        "PATH": os.environ.get("PATH", ""), "HOME": str(home), "XDG_RUNTIME_DIR": str(run),
        "CRM_ENV": "production", "SECRET_KEY": STRONG_SECRET, "DATABASE_URL": database_url,
        "CRM_TRUSTED_HOSTS": f"{HOST},127.0.0.1", "CRM_UPLOAD_FOLDER": str(tmp_path / "up"),
        "MRSE_BIND": f"127.0.0.1:{port}", "MRSE_WORKERS": "2",
    }
    log = tmp_path / f"gunicorn-{name}.log"
    with log.open("w") as out:
        process = subprocess.Popen(  # noqa: S603 - our own command line, no shell
            [sys.executable, "-m", "gunicorn", "-c", str(DEPLOY / "gunicorn.conf.py"),
             "wsgi:app"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_until(lambda: get(port, "/healthz")[0] == 200, f"gunicorn {name}", process, log)
        yield port, log
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def health_while(burst, port: int, tls: bool = False) -> tuple[list[str], float]:
    """Eight huge bodies at once; the slowest of the health checks sent meanwhile."""
    outcomes, slowest = [], 0.0
    threads = [threading.Thread(target=lambda: outcomes.append(burst()))
               for _ in range(8)]
    for thread in threads:
        thread.start()
    while any(t.is_alive() for t in threads):
        started = time.monotonic()
        status, _headers, body = get(port, "/healthz", tls=tls, host=HOST)
        assert (status, body) == (200, b"ok")
        slowest = max(slowest, time.monotonic() - started)
        time.sleep(0.05)
    for thread in threads:
        thread.join()
    return outcomes, slowest


def test_development_server_names_no_versions(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        status, headers, body = get(server.server_port, "/healthz")
    finally:
        server.shutdown()
    assert (status, body) == (200, b"ok")
    assert headers.get_all("Server") == ["MRSE"]


def test_gunicorn_sample_two_instances_on_one_host(app, database_url, tmp_path, capsys):
    with gunicorn(tmp_path, database_url, "one") as (one, log), \
            gunicorn(tmp_path, database_url, "two") as (two, _log):
        for port in (one, two):
            status, headers, body = get(port, "/healthz", host=HOST)
            assert (status, body) == (200, b"ok")
            assert headers.get_all("Server") == ["MRSE"]  # not "gunicorn"
        # Both still answer: neither took the other's control socket (there is none).
        assert get(one, "/healthz")[0] == get(two, "/healthz")[0] == 200
        assert [p.name for p in tmp_path.rglob("*.ctl")] == []
        outcomes, slowest = health_while(lambda: post_huge_form(one, "/masuk"), one)
        refused = [line for line in log.read_text().splitlines()
                   if '"POST /masuk HTTP/1.1" 413 ' in line]
    # The app reads the refused body to its end (cheaply, unparsed), so that the
    # client (nginx, in production) gets the 413 page rather than a closed connection.
    assert outcomes == ["413"] * 8, outcomes
    assert len(refused) == 8, log.read_text()[-3000:]
    assert slowest < 5.0, f"/healthz took {slowest:.2f} s during the burst"
    with capsys.disabled():
        print(f"\n[gunicorn sample] 8 × 7.6 MB forms: {sorted(outcomes)}; slowest /healthz "
              f"meanwhile {slowest * 1000:.0f} ms")


@pytest.mark.skipif(shutil.which("nginx") is None or shutil.which("openssl") is None,
                    reason="nginx or openssl not installed (apt-get install nginx openssl)")
def test_nginx_sample_in_front_of_gunicorn(app, database_url, tmp_path, capsys):
    nginx_dir = tmp_path / "nginx"
    (nginx_dir / "logs").mkdir(parents=True)
    subprocess.run(  # noqa: S603 - a fixed command line, no shell
        [shutil.which("openssl"), "req", "-x509", "-newkey", "rsa:2048", "-nodes",
         "-days", "1", "-subj", f"/CN={HOST}", "-keyout", str(nginx_dir / "key.pem"),
         "-out", str(nginx_dir / "cert.pem")], check=True, capture_output=True)
    http_port, https_port = free_port(), free_port()
    with gunicorn(tmp_path, database_url, "behind-nginx") as (app_port, _log):
        site = (DEPLOY / "nginx.conf").read_text()
        for old, new in [
            ("server 127.0.0.1:8000;", f"server 127.0.0.1:{app_port};"),
            ("listen 80;", f"listen 127.0.0.1:{http_port};"),
            ("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
            (f"/etc/letsencrypt/live/{HOST}/fullchain.pem", str(nginx_dir / "cert.pem")),
            (f"/etc/letsencrypt/live/{HOST}/privkey.pem", str(nginx_dir / "key.pem")),
            ("/srv/mrse/static/", f"{ROOT}/static/"),
        ]:
            assert old in site, old
            site = site.replace(old, new)
        site = "\n".join(line for line in site.splitlines() if "[::]" not in line)
        (nginx_dir / "mrse.conf").write_text(site)
        # As root, nginx would run its workers as another user, who cannot write here.
        user = "user root;" if os.geteuid() == 0 else ""
        (nginx_dir / "nginx.conf").write_text(f"""
{user}
pid {nginx_dir}/nginx.pid;
error_log {nginx_dir}/logs/error.log;
events {{}}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {nginx_dir}/body;
    proxy_temp_path {nginx_dir}/proxy;
    fastcgi_temp_path {nginx_dir}/fastcgi;
    uwsgi_temp_path {nginx_dir}/uwsgi;
    scgi_temp_path {nginx_dir}/scgi;
    include {nginx_dir}/mrse.conf;
}}
""")
        log = nginx_dir / "logs" / "nginx.out"
        with log.open("w") as out:
            nginx = subprocess.Popen(  # noqa: S603 - our own command line, no shell
                [shutil.which("nginx"), "-p", str(nginx_dir), "-c", str(nginx_dir / "nginx.conf"),
                 "-e", str(nginx_dir / "logs" / "error.log"), "-g", "daemon off;"],
                stdout=out, stderr=subprocess.STDOUT)
        try:
            wait_until(lambda: get(https_port, "/healthz", tls=True, host=HOST)[0] == 200,
                       "nginx", nginx, nginx_dir / "logs" / "error.log")
            status, headers, body = get(https_port, "/healthz", tls=True, host=HOST)
            assert (status, body) == (200, b"ok")
            assert headers.get_all("Server") == ["nginx"]  # no version, not gunicorn's
            status, headers, _body = get(http_port, "/masuk", host=HOST)
            assert status == 301 and headers["Location"] == f"https://{HOST}/masuk"
            css = next((ROOT / "static" / "css").glob("*.css")).name
            status, headers, body = get(https_port, f"/static/css/{css}", tls=True, host=HOST)
            assert status == 200 and body == (ROOT / "static" / "css" / css).read_bytes()
            # nginx takes each body whole, then the app refuses it with its own page.
            outcomes, slowest = health_while(
                lambda: post_huge_form(https_port, "/masuk", tls=True), https_port, tls=True)
            assert outcomes == ["413"] * 8, outcomes
            assert slowest < 5.0, f"/healthz took {slowest:.2f} s during the burst"
            # Beyond 8 MB nginx refuses the body itself.
            connection = http.client.HTTPSConnection(
                "127.0.0.1", https_port, timeout=30, context=ssl._create_unverified_context())  # noqa: S323
            connection.request("POST", "/setoran", body=b"x" * (9 * 1024 * 1024),
                               headers={"Host": HOST, "Content-Type": "multipart/form-data"})
            assert connection.getresponse().status == 413
            connection.close()
        finally:
            nginx.send_signal(signal.SIGQUIT)
            try:
                nginx.wait(timeout=30)
            except subprocess.TimeoutExpired:
                nginx.kill()
                nginx.wait(timeout=10)
    with capsys.disabled():
        print(f"\n[nginx sample] 8 × 7.6 MB forms through nginx: all 413; slowest /healthz "
              f"meanwhile {slowest * 1000:.0f} ms")
