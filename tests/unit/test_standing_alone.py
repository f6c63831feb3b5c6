"""The keys that skip revalidation are read from the schema's rules, not kept by hand."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator, model_validator

from sim.scenario import standing
from sim.scenario.schema import Scenario, stands_alone


class _Inner(BaseModel):
    model_config = ConfigDict(frozen=True)
    free: float = 0.5
    bound: float = 0.5
    limit: float = 1.0

    @model_validator(mode="after")
    def _bound_below_limit(self) -> _Inner:
        if self.bound > self.limit:
            raise ValueError("bound above limit")
        return self


class _Outer(BaseModel):
    model_config = ConfigDict(frozen=True)
    inner: _Inner = _Inner()
    rate: float = 0.1
    ceiling: float = 1.0

    @field_validator("ceiling")
    @classmethod
    def _above_rate(cls, value: float, info: ValidationInfo) -> float:
        if value < info.data.get("rate", 0):
            raise ValueError("ceiling below rate")
        return value


def _alone(key: str, checks=()) -> bool:
    return standing.stands_alone(key, _Outer, checks)


def test_a_key_no_rule_reads_stands_alone():
    assert _alone("inner.free"), "no validator reads inner.free"
    assert not _alone("inner.bound"), "the model validator reads bound"
    assert not _alone("inner.limit"), "the model validator reads limit"


def test_a_field_validator_that_sees_other_fields_counts_as_a_rule():
    read = standing.names_read(_Outer)
    assert "rate" in read, f"info.data.get('rate') reads rate: {sorted(read)}"
    assert not _alone("rate"), "a rule reads rate"


def test_a_new_cross_key_check_takes_its_key_off_the_quick_path():
    def check(data):
        return ["too high"] if data["inner"]["free"] > 0.9 else []

    assert _alone("inner.free"), "before the check, free stands alone"
    assert not _alone("inner.free", (check,)), "the new check reads free: never skipped"


def test_a_check_is_followed_into_the_methods_it_calls():
    class _WithMethod(_Inner):
        @property
        def span(self) -> float:
            return self.limit - self.free

        @model_validator(mode="after")
        def _positive_span(self) -> _WithMethod:
            if self.span < 0:
                raise ValueError("negative span")
            return self

    class _Root(BaseModel):
        inner: _WithMethod = _WithMethod()

    assert not standing.stands_alone("inner.free", _Root, ()), "span (a property) reads free"


def test_the_scenario_schema():
    assert stands_alone("practice.uptake"), "no rule ties practice.uptake to another key"
    assert stands_alone("workforce.roles.social_worker.turnover"), "turnover is alone"
    assert not stands_alone("workforce.roles.social_worker.posts"), "posts are tied to vacancies"
    assert not stands_alone(
        "workforce.roles.social_worker.hiring_delay_months"
    ), "a hiring delay is tied to initial vacancies"
    assert not stands_alone("scenario.horizon_months"), "measures.at_months reads the horizon"
    assert not stands_alone("scenario.start"), "a date is no number"
    assert not stands_alone("programme.phases.0.start_after_months"), "phases run in order"


def test_the_rules_named_in_the_schema_are_read():
    read = standing.names_read(Scenario)
    for name in ("initial_vacancies", "posts", "hiring_delay_months", "min_days_to_complete"):
        assert name in read, f"{name} is read by a table's rule; read: {sorted(read)[:20]}…"
