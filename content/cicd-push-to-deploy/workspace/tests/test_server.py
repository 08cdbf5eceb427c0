from app import __version__
from app.server import route


def test_front_page_names_the_version():
    status, body = route("/")
    assert status == 200
    assert __version__ in body


def test_version():
    assert route("/version") == (200, __version__ + "\n")


def test_healthz():
    assert route("/healthz") == (200, "ok\n")


def test_unknown_path_is_404():
    assert route("/nope")[0] == 404
