"""The baseline for bench/pages.py: a bare Flask app that renders one static Jinja template
per page and does nothing else — no database, sessions, i18n, CSRF or security headers.

bench/pages.py writes the templates at run time into the folder named by
``BENCH_TEMPLATE_DIR`` (the portal's own HTML for the same page, so both servers send the same
number of bytes) and serves this module with the portal's gunicorn.conf.py:
``gunicorn -c gunicorn.conf.py bench.bare_app:app``.
"""

from __future__ import annotations

import os

from flask import Flask, jsonify, render_template

app = Flask(__name__, template_folder=os.environ["BENCH_TEMPLATE_DIR"])


@app.get("/")
def home() -> str:
    return render_template("home.html")


@app.get("/sign-in")
def sign_in() -> str:
    return render_template("sign-in.html")


@app.get("/healthz")
def health():  # type: ignore[no-untyped-def]
    return jsonify(status="ok")
