"""A client for Teledyne FLIR automation thermal cameras, and a radiometric JPEG decoder.

What it talks to: the local HTTP interface of FLIR A50/A70 and A400/A500/A700 cameras
(`GET /api/image/current` in every `imgformat`, and the JSON measurement endpoints for spots,
boxes, lines, internal temperature sensors and alarms where the firmware serves them), open or
behind Basic or Digest authentication. `FlirClient` (client.py) takes an injected
`aiohttp.ClientSession`, discovers which endpoints and instances exist, sends one request at a
time, retries 429/5xx with back-off, never follows a redirect off the camera's origin and bounds
every read in size and time (transport.py). Models are frozen dataclasses parsed defensively
(models.py): a value that is not a finite number is None, never 0.

The radiometric JPEG decoder (rjpeg.py, with rjpeg_container.py and rjpeg_records.py) turns a
FLIR R-JPEG into raw counts, camera parameters and temperatures (thermal.py), refusing sizes no
FLIR camera produces before decoding; measure.py and render.py compute statistics and the
thermal picture; encode.py writes files for tests. Command line:
``python -m custom_components.flir_frigate.api.flir.rjpeg FILE... [--json]``.

Errors: everything that leaves the library is a `FlirError` (exceptions.py):
`FlirConnectionError`, `FlirAuthenticationError`, `FlirUnexpectedDeviceError`, `FlirDecodeError`.
No Home Assistant imports (a test enforces it).
"""
