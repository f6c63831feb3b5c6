"""docs/validation.md's "Out of sample" section is generated (sim/validation/out_of_sample.py)
from the scenarios the builder makes now: it fails when they, or the DfE file, changed since.
"""

from __future__ import annotations

from pathlib import Path

from sim.validation import out_of_sample

REPORT = Path(__file__).resolve().parents[2] / "docs" / "validation.md"


def test_the_out_of_sample_section_is_current():
    text = REPORT.read_text(encoding="utf-8")
    assert out_of_sample.BEGIN in text, (
        "no out-of-sample section: python -m sim.validation.out_of_sample"
    )
    assert out_of_sample.END in text, "the out-of-sample section has no end marker"
    wanted = out_of_sample.fingerprint()
    assert f"`{wanted}`" in text, (
        f"docs/validation.md's out-of-sample section was made from other scenarios (now {wanted}); "
        "regenerate it: python -m sim.validation.out_of_sample docs/validation.md"
    )
    picture = REPORT.parent / "validation" / out_of_sample.PICTURE
    assert picture.is_file(), f"{picture} missing"


def test_replacing_the_section_keeps_the_rest_of_the_report():
    text = f"# Report\n\nbefore\n\n{out_of_sample.BEGIN}\nold\n{out_of_sample.END}\n\nafter\n"
    got = out_of_sample.replace_section(text, [out_of_sample.BEGIN, "new", out_of_sample.END])
    assert (
        got == f"# Report\n\nbefore\n\n{out_of_sample.BEGIN}\nnew\n{out_of_sample.END}\n\nafter\n"
    )
    appended = out_of_sample.replace_section("# Report\n", ["x"])
    assert appended == "# Report\n\nx\n", appended
