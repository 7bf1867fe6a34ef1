"""Shared data of the recognition tests: a `RecognitionData` with every entity's feature."""

from datetime import UTC, datetime

from custom_components.flir_frigate.api.frigate.recognition import (
    CameraRecognition,
    ClassificationModel,
    RecognitionConfig,
    RecognitionFeatures,
)
from custom_components.flir_frigate.api.frigate.version import FrigateVersion
from custom_components.flir_frigate.frigate.recognition.model import RecognitionData, Sighting

SEEN = datetime(2027, 1, 15, 8, 0, tzinfo=UTC)


def everything_recognition() -> RecognitionData:
    """A 0.18 server's recognition with one of everything, each seen on `front_door`."""
    config = RecognitionConfig(
        faces=True,
        plates=True,
        known_plates=("Family car",),
        models={
            "door": ClassificationModel(key="door", name="door", state_cameras=("front_door",)),
            "kind": ClassificationModel(key="kind", name="kind", objects=("person",)),
        },
        genai=True,
        cameras={"front_door": CameraRecognition(faces=True, plates=True)},
        birdseye_restream=True,
        profiles={"home": "Home"},
        active_profile="home",
    )

    def seen(value: str) -> Sighting:
        return Sighting(value=value, at=SEEN, score=0.9, event_id="1800000000.0-abc")

    return RecognitionData(
        features=RecognitionFeatures.of(FrigateVersion.of(0, 18)),
        config=config,
        labels={"front_door": ("person",)},
        faces=("alice",),
        classes={"door": ("open", "closed"), "kind": ("courier",)},
        face={"front_door": seen("alice")},
        plate={"front_door": seen("AB12CDE")},
        object_class={("front_door", "kind"): seen("courier")},
        state_class={("front_door", "door"): seen("open")},
        face_seen={"alice": seen("front_door")},
        plate_seen={"Family car": seen("front_door")},
        class_seen={("kind", "courier"): seen("front_door")},
        review_status={"front_door": "alert"},
        profile="home",
        profile_known=True,
        commands=True,
    )
