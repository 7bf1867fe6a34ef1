"""The decoder's command line: python -m custom_components.flir_frigate.api.flir.rjpeg."""

import json
from pathlib import Path

import numpy as np
import pytest

from custom_components.flir_frigate.api.flir.encode import encode_rjpeg
from custom_components.flir_frigate.api.flir.rjpeg_cli import main

AX8 = Path(__file__).parent / "fixtures" / "ax8.jpg"


def test_text_output(capsys):
    assert main([str(AX8)]) == 0
    out = capsys.readouterr().out
    assert "FLIR AX8" in out
    assert "71200518" in out
    assert "80x60" in out
    for expected in ("min 24.36", "max 25.47", "mean 25.03", "centre 25.42", "[0,0] 24.79"):
        assert expected in out
    assert "tool box '1' 1 1 78 58" in out


def test_json_output(capsys, tmp_path):
    synthetic = tmp_path / "synthetic.jpg"
    synthetic.write_bytes(encode_rjpeg(np.full((6, 8), 30.0)))
    assert main(["--json", str(AX8), str(synthetic)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    ax8, other = (json.loads(line) for line in lines)
    assert ax8["model"] == "FLIR AX8"
    assert ax8["serial"] == "71200518"
    assert (ax8["width"], ax8["height"]) == (80, 60)
    assert ax8["min"] == pytest.approx(24.36, abs=0.01)
    assert ax8["max"] == pytest.approx(25.47, abs=0.01)
    assert ax8["mean"] == pytest.approx(25.03, abs=0.01)
    assert ax8["centre"] == pytest.approx(25.42, abs=0.01)
    assert ax8["p00"] == pytest.approx(24.79, abs=0.01)
    assert ax8["tools"] == [{"kind": "box", "label": "1", "params": [1, 1, 78, 58]}]
    assert ax8["file"] == str(AX8)
    assert other["model"] == "FLIR A50"
    assert other["serial"] == ""
    assert other["mean"] == pytest.approx(30.0, abs=0.01)
    assert other["tools"] == []


def test_bad_files(capsys, tmp_path):
    bad = tmp_path / "plain.txt"
    bad.write_text("not a picture")
    missing = tmp_path / "missing.jpg"
    assert main([str(bad), str(AX8), str(missing)]) == 1
    captured = capsys.readouterr()
    assert "FLIR AX8" in captured.out  # the good file is still processed
    assert f"{bad}: error: not a JPEG file" in captured.err
    assert str(missing) in captured.err


def test_bad_files_json(capsys, tmp_path):
    bad = tmp_path / "plain.jpg"
    bad.write_bytes(b"\xff\xd8\xff\xd9")
    assert main(["--json", str(bad), str(AX8)]) == 1
    first, second = (json.loads(line) for line in capsys.readouterr().out.splitlines())
    assert first["file"] == str(bad)
    assert "no FLIR APP1" in first["error"]
    assert second["model"] == "FLIR AX8"


def test_all_nan_frame_prints_null(capsys, tmp_path):
    path = tmp_path / "nan.jpg"
    path.write_bytes(encode_rjpeg(np.full((4, 4), np.nan)))
    assert main(["--json", str(path)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["min"] is None
    assert result["p00"] is None
    assert main([str(path)]) == 0
    assert "n/a" in capsys.readouterr().out


def test_usage_errors(capsys):
    with pytest.raises(SystemExit):
        main([])
    assert "FILE" in capsys.readouterr().err
