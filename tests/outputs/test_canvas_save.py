"""The one end of every picture (``canvas.save``): footnote, layout, no metadata, closed."""

from __future__ import annotations

from sim.outputs.canvas import plt, save


def picture(path, footnote=None, **where):
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.plot([0, 1, 2], [0, 1, 0])
    texts = fig.texts  # the figure's own text list: the footnote lands here
    number = fig.number
    save(fig, path, footnote, **where)
    return number, texts


def test_save_writes_a_closed_picture_with_its_footnote(tmp_path):
    number, texts = picture(tmp_path / "a.png", "Made with rollout.")
    assert (tmp_path / "a.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    assert [t.get_text() for t in texts] == ["Made with rollout."], "footnote not drawn"
    assert texts[0].get_fontsize() == 7, f"footnote size {texts[0].get_fontsize()}"
    assert not plt.fignum_exists(number), "the figure was left open"


def test_save_without_footnote_draws_no_text(tmp_path):
    _, texts = picture(tmp_path / "a.png")
    assert texts == [], f"text drawn: {[t.get_text() for t in texts]}"


def test_the_same_picture_gives_the_same_bytes(tmp_path):
    picture(tmp_path / "a.png", "note", at=0.005, bottom=0.02)
    picture(tmp_path / "b.png", "note", at=0.005, bottom=0.02)
    a, b = (tmp_path / "a.png").read_bytes(), (tmp_path / "b.png").read_bytes()
    assert a == b, "the same picture written twice differs (metadata written?)"
    assert b"Software" not in a, "the PNG names the software that made it"
