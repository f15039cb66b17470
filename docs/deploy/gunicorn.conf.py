"""gunicorn for MRSE CRM in production, behind nginx (docs/deploy/nginx.conf).

    cd /srv/mrse && .venv/bin/gunicorn -c docs/deploy/gunicorn.conf.py wsgi:app

with the app's settings in the environment (crm/config.py): ``CRM_ENV=production``,
``SECRET_KEY``, ``DATABASE_URL``, ``CRM_TRUSTED_HOSTS`` (e.g. ``crm.desa.id``) and
``CRM_UPLOAD_FOLDER``. Two more variables serve several instances on one host
(e.g. a training copy next to the real one), each with its own:

- ``MRSE_BIND``: where this instance listens (default ``127.0.0.1:8000``);
- ``MRSE_WORKERS``: how many requests it serves at once (default 2 per CPU core + 1).

Sync workers serve one request each. nginx reads every request body and buffers
every answer before a worker gets or gives it, so a slow phone on a village network
never holds a worker; the app refuses what is too big before parsing it (8 MB for the
three forms with a picture, 128 KB for every other form) and pictures above 24
megapixels before decoding them.
"""

import multiprocessing
import os

import gunicorn.http.wsgi

bind = os.environ.get("MRSE_BIND", "127.0.0.1:8000")  # nginx on the same host only
workers = int(os.environ.get("MRSE_WORKERS", 2 * multiprocessing.cpu_count() + 1))
worker_class = "sync"
# A request that takes longer is stopped (the heaviest pages, PDFs, take about 1 s).
timeout = 30
graceful_timeout = 30
keepalive = 5  # nginx keeps connections to gunicorn open (upstream keepalive)
# Workers are replaced now and then, so that memory a rare large report took goes back.
max_requests = 2000
max_requests_jitter = 200
# Request line and headers: gunicorn's limits, stated (nginx's are alike).
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190
# X-Forwarded-Proto (https) is believed from nginx on this host only.
forwarded_allow_ips = "127.0.0.1,::1"
# The control socket (gunicorn 25.1+, for ``gunicornc``) is made at one path per user
# ($XDG_RUNTIME_DIR/gunicorn.ctl or ~/.gunicorn/gunicorn.ctl): a second instance on
# the host would take over the first one's. Not used here: off. (To use it, give each
# instance its own: control_socket = f"/run/mrse/{name}.ctl".)
control_socket_disable = True
accesslog = "-"
errorlog = "-"
loglevel = "info"

# gunicorn names itself in every answer's Server header; nginx replaces the header
# with its own ("nginx", no version: server_tokens off), and a request that reaches
# gunicorn directly learns no more than the app's name.
gunicorn.http.wsgi.SERVER = "MRSE"
