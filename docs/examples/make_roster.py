"""Write the synthetic example roster and leavers list used by README and docs/roster.md.

A made-up service of 14 teams: nobody in it exists. Run from the repository root:
``python docs/examples/make_roster.py`` (the files are committed; rerun only on purpose).
The draws come from one seeded generator, so the files are the same every time.
"""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

import numpy as np

AS_OF = date(2026, 4, 1)  # the day the roster describes
HISTORY_START = date(2018, 4, 1)
TURNOVER = {  # leavers per person-year used to make the history (so: the known answer)
    "senior_leader": 0.10,
    "team_manager": 0.12,
    "senior_practitioner": 0.15,
    "social_worker": 0.18,
    "childrens_practitioner": 0.22,
}
POSTS = {
    "senior_leader": 4,
    "team_manager": 7,
    "senior_practitioner": 14,
    "social_worker": 84,
    "childrens_practitioner": 14,
}
TEAM_ROLES = ("social_worker", "childrens_practitioner")
VACANT = {"social_worker": 12, "childrens_practitioner": 2, "senior_practitioner": 1}
AGENCY = {"social_worker": 8, "childrens_practitioner": 1}
TRAINING_DAYS = [date(2024, 1, 15), date(2024, 6, 10), date(2024, 11, 4), date(2025, 5, 12)]


def main(folder: Path) -> None:
    """Write the made-up example staff list and leavers list into ``folder``."""
    rng = np.random.default_rng(20260401)
    teams = [f"Team {chr(ord('A') + i)}" for i in range(POSTS["senior_practitioner"])]
    roster, leavers = [], []
    number = 0
    for role, posts in POSTS.items():
        vacant, agency = VACANT.get(role, 0), AGENCY.get(role, 0)
        for k in range(posts):
            number += 1
            team = ""
            if role == "senior_practitioner":
                team = teams[k]
            elif role in TEAM_ROLES:
                team = teams[k % len(teams)]
            status = "vacant" if k < vacant - agency else "agency" if k < vacant else "filled"
            # Past holders of the post, back to HISTORY_START: exponential stays.
            day = HISTORY_START - timedelta(days=int(rng.integers(0, 2000)))
            while True:
                stay = timedelta(days=int(rng.exponential(365.25 / TURNOVER[role])))
                if day + stay >= AS_OF:
                    break
                leavers.append((role, day, day + stay))
                day = day + stay + timedelta(days=int(rng.exponential(120)))
                if day >= AS_OF:
                    break
            row = {
                "post_id": f"P{number:04d}",
                "role": role,
                "team": team,
                "status": status,
                "in_post_since": "",
                "trained_on": "",
                "champion": "false",
                "mentored_on": "",
            }
            if status == "filled":
                since = min(day, AS_OF - timedelta(days=30))
                row["in_post_since"] = since.isoformat()
                later = [d for d in TRAINING_DAYS if d >= since]
                if later and rng.random() < 0.6:
                    trained = later[int(rng.integers(0, len(later)))]
                    row["trained_on"] = trained.isoformat()
                    if role == "senior_practitioner" and rng.random() < 0.7:
                        row["mentored_on"] = (trained + timedelta(days=21)).isoformat()
                    if rng.random() < 0.08:
                        row["champion"] = "true"
            elif status == "agency":
                row["in_post_since"] = (
                    AS_OF - timedelta(days=int(rng.integers(30, 400)))
                ).isoformat()
            roster.append(row)
    with open(folder / "staff.csv", "w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(roster[0]))
        writer.writeheader()
        writer.writerows(roster)
    with open(folder / "leavers.csv", "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["role", "started", "left"])
        for role, started, left in sorted(leavers, key=lambda r: (r[2], r[0])):
            writer.writerow([role, started.isoformat(), left.isoformat()])


if __name__ == "__main__":
    main(Path(__file__).resolve().parent)
