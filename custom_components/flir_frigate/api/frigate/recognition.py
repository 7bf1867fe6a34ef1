"""Frigate's recognition features: faces, plates, classification, descriptions, profiles.

Each came with a release (0.16: face and license plate recognition; 0.17: custom classification
models, generated descriptions and the review summary; 0.18: profiles) and each can be off in
the server's config, so `RecognitionFeatures` says what a version has and `RecognitionConfig`
what the config turns on (globally and per camera). Known faces are the folders of
`/api/faces` (the `train` folder holds unsorted attempts, not a person); the classes of a
classification model are the categories of `/api/classification/<model>/dataset` (`none` is an
object model's "no class"). Plates of `lpr.known_plates` are named by their key (the values
are patterns). Frigate's `frigate/api/classification.py`, `frigate/config/classification.py`
and `frigate/api/review.py` at the release tags are the reference.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import TYPE_CHECKING, Final, Self

from .auth import bearer
from .exceptions import (
    FrigateFeatureUnavailableError,
    FrigateForbiddenError,
    FrigateRequestRejectedError,
    FrigateUnexpectedDeviceError,
)
from .parsing import JsonObject, as_bool, as_mapping, as_str, as_str_tuple
from .paths import epoch
from .transport import SMALL_JSON_LIMIT, Transport, parse_json
from .version import FrigateVersion

if TYPE_CHECKING:
    from .client import FrigateClient

# A name from Frigate's folders or config: it goes into unique ids and, for models, a URL.
_NAME_RE: Final = re.compile(r"^[^\x00-\x1f\x7f/\\]{1,128}$")
_MODEL_RE: Final = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
FACES_TRAIN_FOLDER: Final = "train"
NO_CLASS: Final = "none"
SUMMARIZE_TIMEOUT: Final = 120.0
"""Seconds Frigate may take to have its GenAI provider summarize a span of review items."""
DATASET_LIMIT: Final = 4 * 1024 * 1024
"""A dataset lists every image file name per class: thousands of names stay under 1 MiB."""


def _name(value: object) -> str | None:
    return value if isinstance(value, str) and _NAME_RE.fullmatch(value) and value.strip() else None


def validate_model(name: str) -> str:
    """Return a classification model's name as it may go into a URL, else ValueError."""
    if not isinstance(name, str) or not _MODEL_RE.fullmatch(name):
        raise ValueError("invalid Frigate classification model name")
    return name


@dataclass(frozen=True, kw_only=True, slots=True)
class RecognitionFeatures:
    """What a Frigate version has of the recognition features."""

    faces: bool
    plates: bool
    classification: bool
    descriptions: bool
    review_summarize: bool
    profiles: bool

    @classmethod
    def of(cls, version: FrigateVersion) -> Self:
        """The features of one server version."""
        return cls(
            faces=version.at_least(0, 16),
            plates=version.at_least(0, 16),
            classification=version.at_least(0, 17),
            descriptions=version.at_least(0, 17),
            review_summarize=version.at_least(0, 17),
            profiles=version.at_least(0, 18),
        )


@dataclass(frozen=True, kw_only=True, slots=True)
class ClassificationModel:
    """One model of `classification.custom` (0.17+): a state or an object model."""

    key: str  # the config key: the dataset's URL segment
    name: str  # `name`, which Frigate's messages carry (the key where unset)
    enabled: bool = True
    state_cameras: tuple[str, ...] = ()  # state models: the cameras whose crop it classifies
    objects: tuple[str, ...] = ()  # object models: the labels whose objects it classifies
    attribute: bool = False  # object models: an attribute rather than the sub label

    @classmethod
    def from_dict(cls, key: str, data: JsonObject) -> Self:
        """Parse one model."""
        state = as_mapping(data.get("state_config"))
        objects = as_mapping(data.get("object_config"))
        return cls(
            key=key,
            name=_name(data.get("name")) or key,
            enabled=as_bool(data.get("enabled")) is not False,
            state_cameras=tuple(str(name) for name in as_mapping(state.get("cameras"))),
            objects=as_str_tuple(objects.get("objects")),
            attribute=objects.get("classification_type") == "attribute",
        )

    @property
    def is_state(self) -> bool:
        """Whether it classifies a crop of the frame (a state) rather than tracked objects."""
        return bool(self.state_cameras)


@dataclass(frozen=True, kw_only=True, slots=True)
class CameraRecognition:
    """What one camera's config turns on."""

    faces: bool = False
    plates: bool = False
    object_descriptions: bool | None = None  # objects.genai.enabled (0.17+)
    review_descriptions: bool | None = None  # review.genai.enabled (0.17+)


def _enabled(camera: JsonObject, key: str, default: bool) -> bool:
    """A camera's `<key>.enabled`, the global setting where the camera has none."""
    value = as_bool(as_mapping(camera.get(key)).get("enabled"))
    return default if value is None else value


def _genai_configured(data: object) -> bool:
    """Whether a GenAI provider is set up (`genai.provider`, or named providers in 0.18)."""
    genai = as_mapping(data)
    if as_bool(genai.get("enabled")) is False:
        return False
    if as_str(genai.get("provider")) is not None:
        return True
    return any(as_str(as_mapping(value).get("provider")) is not None for value in genai.values())


@dataclass(frozen=True, kw_only=True, slots=True)
class RecognitionConfig:
    """The recognition parts of `GET /api/config`."""

    faces: bool = False  # face_recognition.enabled
    plates: bool = False  # lpr.enabled
    known_plates: tuple[str, ...] = ()
    models: Mapping[str, ClassificationModel] = field(default_factory=dict)
    genai: bool = False
    cameras: Mapping[str, CameraRecognition] = field(default_factory=dict)
    birdseye_restream: bool = False
    profiles: Mapping[str, str] = field(default_factory=dict)  # 0.18: name -> friendly name
    active_profile: str | None = None

    @classmethod
    def from_dict(cls, data: JsonObject) -> Self:
        """Parse a config payload (any version: what it lacks is off)."""
        faces = as_bool(as_mapping(data.get("face_recognition")).get("enabled")) is True
        lpr = as_mapping(data.get("lpr"))
        plates = as_bool(lpr.get("enabled")) is True
        models = {
            str(key): ClassificationModel.from_dict(str(key), model)
            for key, model in as_mapping(
                as_mapping(data.get("classification")).get("custom")
            ).items()
            if isinstance(model, Mapping) and _MODEL_RE.fullmatch(str(key))
        }
        cameras: dict[str, CameraRecognition] = {}
        for name, camera in as_mapping(data.get("cameras")).items():
            if not isinstance(camera, Mapping):
                continue
            objects = as_mapping(camera.get("objects"))
            review = as_mapping(camera.get("review"))
            cameras[str(name)] = CameraRecognition(
                faces=faces and _enabled(camera, "face_recognition", faces),
                plates=plates and _enabled(camera, "lpr", plates),
                object_descriptions=as_bool(as_mapping(objects.get("genai")).get("enabled")),
                review_descriptions=as_bool(as_mapping(review.get("genai")).get("enabled")),
            )
        profiles = {
            str(name): _name(as_mapping(profile).get("friendly_name")) or str(name)
            for name, profile in as_mapping(data.get("profiles")).items()
            if _name(name) is not None and name != NO_CLASS
        }
        return cls(
            faces=faces,
            plates=plates,
            known_plates=tuple(
                str(name) for name in as_mapping(lpr.get("known_plates")) if _name(name)
            ),
            models=models,
            genai=_genai_configured(data.get("genai")),
            cameras=cameras,
            birdseye_restream=(
                as_bool(as_mapping(data.get("birdseye")).get("restream")) is True
                and as_bool(as_mapping(data.get("birdseye")).get("enabled")) is not False
            ),
            profiles=profiles,
            active_profile=_name(data.get("active_profile")),
        )

    def state_models(self, camera: str) -> tuple[ClassificationModel, ...]:
        """The enabled state models that classify a crop of `camera`."""
        return tuple(
            model
            for model in self.models.values()
            if model.enabled and model.is_state and camera in model.state_cameras
        )

    def object_models(self, labels: tuple[str, ...]) -> tuple[ClassificationModel, ...]:
        """The enabled object models of the labels a camera tracks."""
        return tuple(
            model
            for model in self.models.values()
            if model.enabled and not model.is_state and set(model.objects) & set(labels)
        )


def parse_faces(data: object) -> tuple[str, ...]:
    """The known faces of `/api/faces` (`{name: [files]}`), sorted, without `train`."""
    return tuple(
        sorted(
            name
            for key in as_mapping(data)
            if (name := _name(key)) is not None and name != FACES_TRAIN_FOLDER
        )
    )


def parse_dataset(data: object) -> tuple[str, ...]:
    """The classes of `/api/classification/<model>/dataset` (`{"categories": {...}}`)."""
    categories = as_mapping(as_mapping(data).get("categories"))
    return tuple(
        sorted(name for key in categories if (name := _name(key)) is not None and name != NO_CLASS)
    )


def parse_summary(data: object) -> str:
    """The text of a review summary; FrigateUnexpectedDeviceError without one."""
    summary = as_str(as_mapping(data).get("summary"))
    if summary is None:
        raise FrigateUnexpectedDeviceError("Frigate's review summary has no text")
    return summary


class FrigateRecognition:
    """The recognition endpoints of one server, through its client's session and login."""

    def __init__(self, client: FrigateClient, version: FrigateVersion) -> None:
        """Bind to a client; `version` decides what exists."""
        self._client = client
        self.features = RecognitionFeatures.of(version)

    def _require(self, available: bool, feature: str, needed: str) -> None:
        if not available:
            raise FrigateFeatureUnavailableError(feature, needed=needed)

    async def faces(self) -> tuple[str, ...]:
        """`GET /api/faces` (0.16+): the names of the known faces."""
        self._require(self.features.faces, "face recognition", "0.16")
        return parse_faces(await self._client._get_json("faces", resource=True))  # noqa: SLF001

    async def classes(self, model: str) -> tuple[str, ...]:
        """`GET /api/classification/<model>/dataset` (0.17+): the model's classes."""
        self._require(self.features.classification, "classification", "0.17")
        data = await self._client._get_json(  # noqa: SLF001
            "classification", validate_model(model), "dataset", limit=DATASET_LIMIT, resource=True
        )
        return parse_dataset(data)

    async def review_summarize(self, start: float, end: float) -> str:
        """`POST /api/review/summarize/start/<s>/end/<e>` (0.17+): GenAI's report of the span.

        FrigateRequestRejectedError when Frigate has no GenAI provider (400),
        FrigateForbiddenError when the role may not; a failed generation is a 500.
        """
        self._require(self.features.review_summarize, "review summaries", "0.17")
        if end <= start:
            raise ValueError("the end must lie after the start")
        client = self._client
        url = client._url("review", "summarize", "start", epoch(start), "end", epoch(end))  # noqa: SLF001
        transport = Transport(
            client._session,  # noqa: SLF001
            ssl=client.verify_ssl,
            timeout=SUMMARIZE_TIMEOUT,
        )
        auth = client._auth  # noqa: SLF001
        for attempt in range(2):
            token = await auth.token()
            reply = await transport.exchange(
                "POST", url, limit=SMALL_JSON_LIMIT, headers=bearer(token), json_body={}
            )
            if attempt == 0 and auth.retry_after_401(reply.status, token):
                continue
            if reply.status == HTTPStatus.FORBIDDEN:
                raise FrigateForbiddenError("the Frigate user's role may not do this")
            if reply.status == HTTPStatus.BAD_REQUEST:
                raise FrigateRequestRejectedError(reply.status)
            client._check(reply.status, reply.headers, resource=True)  # noqa: SLF001
            return parse_summary(parse_json(reply.body))
        raise AssertionError("unreachable")  # pragma: no cover
