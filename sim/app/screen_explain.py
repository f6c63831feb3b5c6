"""The "What it means" screen: the explanation as short paragraphs and small tables, the
warnings, and the keys behind it only on request.
"""

from __future__ import annotations

import streamlit as st

from ..scenario.fixing import fixed_lines
from . import words
from .common import Context, show_rows


def draw(context: Context) -> None:
    """Draw the screen for the scenario as the levers make it."""
    report = context.report
    count = len(report.warnings)
    if count:
        st.warning(
            f"{count} warning(s): likely mistakes; the scenario still runs. Each is shown "
            "under the lever it concerns on the left."
        )
    else:
        st.success("Valid, no warnings.")
    for text in fixed_lines(context.scenario):  # a lever's value replaces the key's uncertainty
        st.info(text)
    keys = []
    for section in words.sections(report.lines, context.scenario):
        if section.keys:
            keys.append(section)
            continue
        st.markdown(f"#### {section.title}")
        for kind, part in section.parts:
            if kind == "text":
                st.write(part)
            else:
                show_rows(part)
    with st.expander("The scenario's keys and where each value came from"):
        for section in keys:
            st.markdown(f"**{section.title}**")
            for _, part in section.parts:
                st.write(part)
        st.code("\n".join(report.lines), language=None)
