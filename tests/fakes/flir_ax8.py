"""The fake FLIR Ax8 (profile ``ax8`` of :class:`tests.fakes.flir_camera.FakeFlirCamera`).

It answers as the public Ax8 clients and the camera's own web-page script show
(``../shared/reference/flir-cameras.md`` §1.2):

* ``POST /res.php`` with form fields ``action`` (``get``, ``set``, and the web page's
  ``measurement`` (type, id), ``alarm`` (id), ``global-parameters``, ``tree``), ``resource`` and
  ``value``. Answers are JSON; every value is a string: booleans ``"true"``/``"false"``,
  temperatures Kelvin with one trailing unit character (``"296.15K"``, which is what the public
  clients strip), a successful ``set`` answers ``""``, an unknown resource ``""`` too.
* ``GET /prod/res/<path/with/slashes>`` (``?set=`` writes): XML with the value in ``xsi:value``,
  temperatures as plain Kelvin numbers.
* Validity flags (``valueValid``, ``minValid``, ...): ``=`` inside the camera's range
  (-10..150 °C), ``>`` or ``<`` outside it, the value then clipped to the range.
* The radiometric still: set ``.image.services.store.format``/``overlay``/``fileNameW`` then
  ``.commit``; the file appears a moment later at ``/download.php?file=<path>`` (404 before) and
  at ``/storage/download/image/<name>``; ``POST /storage/delete/image/<name>`` needs a login
  (answers a text asking for one otherwise). Every store counts as one flash write.
* ``GET /snapshot.jpg``: the live display image; it stops updating unless a web session logged
  in within the last 10 s (as the public Selenium driver found).
* The web login: ``/`` (and ``/login``) serve the form (``login_input_username``/``_password``),
  ``POST /login/dologin`` sets ``PHPSESSID`` and answers ``{"success": true}``.
* Push: ``POST /home/subscribe`` and ``/home/subscribe/{spot|box|delta|alarm}/<id>``, then a
  websocket on ``/`` sends ``{"<resource>": value}`` for what changed.

Inferred, not confirmed by public code: the ``tree`` action's answer (a JSON list of the child
names; the page calls ``getTree``), the names of the login form fields and of the alarm
threshold fields, and which firmware wants a login for ``res.php`` (``require_login``).
"""

import asyncio
import contextlib
import json
import secrets
import time
from collections import Counter
from typing import TYPE_CHECKING, Any, Final
from xml.sax.saxutils import escape

from aiohttp import WSMsgType, web

from tests.fakes.flir_ax8_tree import Ax8State, Ax8Tree, _bool

if TYPE_CHECKING:
    from tests.fakes.flir_camera import FakeFlirCamera

SESSION_FRESH: Final = 10.0
XSI: Final = "http://www.w3.org/2001/XMLSchema-instance"


class FakeAx8(Ax8Tree):
    """The Ax8's routes on top of the shared scene of a :class:`FakeFlirCamera`."""

    def __init__(self, camera: FakeFlirCamera) -> None:
        """Attach to the camera whose scene, tools, alarms and faults are used."""
        self.camera = camera
        self.state = Ax8State()
        self.requests_by_action: Counter[str] = Counter()
        """``res.php`` requests by their ``action`` field."""
        self._apply_object_params()

    # ------------------------------------------------------------------ routes

    def add_routes(self, app: web.Application) -> None:
        """The Ax8's web interface (no ``/api``: that path is the A-series')."""
        app.router.add_get("/", self._root)
        app.router.add_get("/login", self._login_page)
        app.router.add_post("/login/dologin", self._dologin)
        app.router.add_get("/login/interactive", self._interactive)
        app.router.add_post("/res.php", self._res_php)
        app.router.add_get("/prod/res/{path:.+}", self._prod_res)
        app.router.add_get("/download.php", self._download_php)
        app.router.add_get("/storage/download/image/{name}", self._download_storage)
        app.router.add_post("/storage/delete/image/{name}", self._delete)
        app.router.add_get("/snapshot.jpg", self._snapshot)
        app.router.add_post("/home/subscribe", self._subscribe_all)
        app.router.add_post("/home/subscribe/{kind}/{id}", self._subscribe)
        app.router.add_post("/home/echoIRGeometry/", self._geometry)
        app.router.add_get("/camera/status", self._status)

    # ------------------------------------------------------------------- login

    def _session(self, request: web.Request) -> bool:
        token = request.cookies.get("PHPSESSID")
        if token is None or token not in self.state.sessions:
            return False
        self.state.sessions[token] = time.monotonic()
        return True

    def _fresh_session(self) -> bool:
        now = time.monotonic()
        return any(now - seen < SESSION_FRESH for seen in self.state.sessions.values())

    async def _root(self, request: web.Request) -> web.StreamResponse:
        if request.headers.get("Upgrade", "").lower() == "websocket":
            return await self._websocket(request)
        return await self._login_page(request)

    async def _login_page(self, request: web.Request) -> web.Response:
        return web.Response(
            text="<!DOCTYPE html><html><head><title>FLIR AX8</title></head><body>"
            '<form method="post" action="/login/dologin">'
            '<input id="login_input_username" name="user_name">'
            '<input id="login_input_password" name="user_password" type="password">'
            "</form></body></html>",
            content_type="text/html",
        )

    async def _dologin(self, request: web.Request) -> web.Response:
        form = await request.post()
        user, password = str(form.get("user_name", "")), str(form.get("user_password", ""))
        if user != self.camera.username or password != self.camera.password:
            return web.json_response({"success": False, "message": "Wrong user or password"})
        token = secrets.token_hex(16)
        self.state.sessions[token] = time.monotonic()
        response = web.json_response({"success": True})
        response.set_cookie("PHPSESSID", token, path="/")
        return response

    async def _interactive(self, request: web.Request) -> web.Response:
        return web.Response(text=_bool(self._session(request)))

    def _needs_login(self, request: web.Request) -> web.Response | None:
        if self.state.require_login and not self._session(request):
            raise web.HTTPFound("/login")
        return None

    # ------------------------------------------------------------------ res.php

    async def _res_php(self, request: web.Request) -> web.Response:
        self._needs_login(request)
        form = await request.post()
        action = str(form.get("action", ""))
        resource = str(form.get("resource", "")).strip()
        self.requests_by_action[action] += 1
        self.camera.temperatures()  # alarms follow the current scene
        answer: Any
        match action:
            case "get":
                answer = self.get(resource) or ""
            case "set":
                self.set(resource, str(form.get("value", "")))
                answer = ""
            case "measurement":
                answer = self.measurement(str(form.get("type", "")), str(form.get("id", "")))
            case "alarm":
                answer = self.alarm(str(form.get("id", "")))
            case "global-parameters":
                answer = self.global_parameters()
            case "tree":
                answer = self.tree(resource)
            case _:
                answer = ""
        return web.json_response(answer)

    async def _prod_res(self, request: web.Request) -> web.Response:
        self._needs_login(request)
        resource = "." + request.match_info["path"].strip("/").replace("/", ".")
        if "set" in request.query:
            self.set(resource, request.query["set"])
        self.camera.temperatures()
        value = self.get(resource)
        if value is None:
            raise web.HTTPNotFound(text="Unknown resource")
        plain = value.removesuffix("K") if value.endswith("K") else value
        return web.Response(
            text=f'<?xml version="1.0"?><res xmlns:xsi="{XSI}">'
            f"<xsi:value>{escape(plain)}</xsi:value></res>",
            content_type="text/xml",
        )

    # ------------------------------------------------------------------ images

    def _store(self) -> None:
        name = self.state.store.get("fileNameW", "")
        if not name.startswith("/FLIR/images/") or self.state.store.get("format") != "JPEG":
            return
        self.state.stores += 1
        ready = time.monotonic() + self.state.store_delay
        self.state.files[name] = (ready, self.camera._radiometric())
        self.state.store["filename"] = name

    def _file(self, path: str) -> bytes:
        entry = self.state.files.get(path)
        if entry is None or time.monotonic() < entry[0]:
            raise web.HTTPNotFound(text="File not found")
        self.state.downloads += 1
        return entry[1]

    async def _download_php(self, request: web.Request) -> web.Response:
        body = self._file(request.query.get("file", ""))
        return web.Response(body=body, content_type="image/jpeg")

    async def _download_storage(self, request: web.Request) -> web.Response:
        body = self._file("/FLIR/images/" + request.match_info["name"])
        return web.Response(body=body, content_type="image/jpeg")

    async def _delete(self, request: web.Request) -> web.Response:
        if not self._session(request):
            return web.Response(text="Please login first", content_type="text/plain")
        path = "/FLIR/images/" + request.match_info["name"]
        if self.state.files.pop(path, None) is None:
            return web.json_response({"success": False})
        self.state.deletes += 1
        return web.json_response({"success": True})

    async def _snapshot(self, request: web.Request) -> web.Response:
        from tests.fakes.flir_camera import _colourise, _jpeg

        frozen = self.state.snapshot_frozen
        if frozen is None or self._fresh_session():
            frozen = _jpeg(_colourise(self.camera.temperatures()), (640, 480))
            self.state.snapshot_frozen = frozen
        return web.Response(body=frozen, content_type="image/jpeg")

    async def _geometry(self, request: web.Request) -> web.Response:
        return web.Response(text=f"{self.camera.width},{self.camera.height}")

    async def _status(self, request: web.Request) -> web.Response:
        return web.json_response(
            {"distance": 1.0, "horizontalFlip": False, "verticalFlip": False, "imageState": "LIVE"}
        )

    # -------------------------------------------------------------------- push

    async def _subscribe_all(self, request: web.Request) -> web.Response:
        self.state.subscriptions.clear()
        return web.Response(text="")

    async def _subscribe(self, request: web.Request) -> web.Response:
        kind, ident = request.match_info["kind"], request.match_info["id"]
        if kind not in {"spot", "box", "delta", "isotherm", "alarm"}:
            raise web.HTTPNotFound
        self.state.subscriptions.add(f"{kind}/{ident}")
        return web.Response(text="")

    def pushed_values(self) -> dict[str, str]:
        """What the subscriptions cover, as the socket sends it."""
        self.camera.temperatures()
        values: dict[str, str] = {}
        prefix = ".image.sysimg.measureFuncs"
        for item in sorted(self.state.subscriptions):
            kind, ident = item.split("/")
            n = int(ident) if ident.isdigit() else 0
            if kind == "spot":
                spot = self._spot_values(n)
                for key in ("valueT", "valueValid", "active"):
                    values[f"{prefix}.spot.{n}.{key}"] = spot[key]
            elif kind == "box":
                box = self._box_values(n)
                for key in ("minT", "maxT", "avgT", "minValid", "maxValid", "avgValid", "active"):
                    if key in box:
                        values[f"{prefix}.mbox.{n}.{key}"] = box[key]
            elif kind == "delta":
                diff = self._diff_values(n)
                for key in ("valueT", "valueValid", "active"):
                    values[f"{prefix}.diff.{n}.{key}"] = diff[key]
            elif kind == "alarm":
                values[f".resmon.items.{ident}.trigged"] = self._monitor_values(ident).get(
                    "trigged", "false"
                )
        return values

    async def _websocket(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse(heartbeat=None)
        await socket.prepare(request)
        self.state.sockets.append(socket)
        sent: dict[str, str] = {}
        stopping = self.camera._stopping
        try:
            while not socket.closed and not stopping.is_set():
                changed = {k: v for k, v in self.pushed_values().items() if sent.get(k) != v}
                if changed:
                    await socket.send_str(json.dumps(changed))
                    sent.update(changed)
                with contextlib.suppress(TimeoutError):
                    message = await socket.receive(timeout=self.state.push_interval)
                    if message.type in {WSMsgType.CLOSE, WSMsgType.CLOSED, WSMsgType.ERROR}:
                        break
        except ConnectionResetError:
            pass
        finally:
            self.state.sockets.remove(socket)
        return socket

    async def close_sockets(self) -> None:
        """Drop every push connection (the camera restarting)."""
        for socket in list(self.state.sockets):
            await socket.close()

    async def wait_stored(self) -> None:
        """Wait until every stored file can be downloaded."""
        if self.state.files:
            latest = max(ready for ready, _ in self.state.files.values())
            await asyncio.sleep(max(0.0, latest - time.monotonic()))
