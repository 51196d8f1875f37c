"""QA reviews: the queue holds every low-CSAT and breached resolved ticket and a seeded sample of the rest, minus
those reviewed; scores are checked against the rubric (nothing kept on bad input); each agent's averages."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from config.reviews_config import ReviewSettings
from config.settings import Settings, load_settings
from core.command_params import CommandError
from core.desk.commands import parse_command
from core.errors import ConfigError
from core.reviews.commands import ReviewTicket
from core.reviews.queue import handled_by, review_queue
from core.reviews.records import Candidate, Reason, Review, ReviewError, ReviewPolicy, Rubric
from core.reviews.scoring import agent_quality, read_scores
from core.tickets.records import TicketEvent
from tests.desk_fakes import START

RUBRIC = Rubric()


def candidates(count: int) -> list[Candidate]:
    return [Candidate(n, "discord:mo", None, False) for n in range(1, count + 1)]


def test_low_csat_and_breached_tickets_always_join_and_the_rest_only_by_the_draw() -> None:
    found = [
        Candidate(1, "a", 5, False),
        Candidate(2, "a", 2, False),  # at the threshold
        Candidate(3, "a", None, True),
        Candidate(4, "a", 3, False),
        Candidate(5, "a", 1, True),  # both: the stronger reason
    ]
    queue = review_queue(found, set(), ReviewPolicy(sample_fraction=0.0, low_csat=2))
    assert [(e.candidate.ticket, e.reason) for e in queue] == [
        (2, Reason.LOW_CSAT),
        (5, Reason.LOW_CSAT),
        (3, Reason.BREACHED),
    ]
    everything = review_queue(found, set(), ReviewPolicy(sample_fraction=1.0))
    assert [e.candidate.ticket for e in everything if e.reason is Reason.SAMPLE] == [1, 4]


def test_the_sample_draws_about_the_fraction_and_a_seed_always_draws_the_same_tickets() -> None:
    pool = candidates(2000)
    drawn = [e.candidate.ticket for e in review_queue(pool, set(), ReviewPolicy(sample_fraction=0.2, seed=7))]
    assert 340 <= len(drawn) <= 460  # 20% of 2000, give or take
    again = [e.candidate.ticket for e in review_queue(pool, set(), ReviewPolicy(sample_fraction=0.2, seed=7))]
    assert again == drawn
    other = [e.candidate.ticket for e in review_queue(pool, set(), ReviewPolicy(sample_fraction=0.2, seed=8))]
    assert other != drawn
    # A ticket's draw does not depend on the others: a smaller pool draws the same tickets of its part.
    part = [e.candidate.ticket for e in review_queue(pool[:500], set(), ReviewPolicy(sample_fraction=0.2, seed=7))]
    assert part == [t for t in drawn if t <= 500]


def test_reviewed_tickets_leave_the_queue_whatever_their_reason() -> None:
    found = [Candidate(1, "a", 1, False), Candidate(2, "a", None, True), Candidate(3, "a", None, False)]
    queue = review_queue(found, {1, 3}, ReviewPolicy(sample_fraction=1.0))
    assert [e.candidate.ticket for e in queue] == [2]


def test_the_agent_is_whoever_held_the_ticket_when_it_was_resolved() -> None:
    def event(kind: str, actor: str, detail: str = "") -> TicketEvent:
        return TicketEvent(1, START, actor, kind, detail)

    log = [event("opened", "discord:ana"), event("replied", "discord:bo"), event("resolved", "discord:bo")]
    assert handled_by(None, log) == "discord:bo"  # the first to reply to it unassigned
    handed = [*log, event("reopened", "discord:ana"), event("assigned", "discord:mo", "discord:bo → discord:cy")]
    assert handled_by(None, [*handed, event("resolved", "discord:mo")]) == "discord:cy"
    assert handled_by("discord:zed", [event("opened", "discord:ana")]) == "discord:zed"


@pytest.mark.parametrize(
    ("pairs", "problem"),
    [
        ((("accuracy", "4"), ("tone", "5"), ("speed", "3"), ("empathy", "4")), "'empathy' is not a criterion"),
        ((("accuracy", "4"), ("tone", "5"), ("speed", "3")), "missing resolution"),
        ((("accuracy", "4"), ("tone", "6"), ("speed", "3"), ("resolution", "4")), "tone=6 is off the scale"),
        ((("accuracy", "0"), ("tone", "5"), ("speed", "3"), ("resolution", "4")), "from 1 to 5"),
        ((("accuracy", "four"), ("tone", "5"), ("speed", "3"), ("resolution", "4")), "accuracy=four"),
        ((("accuracy", "4"), ("accuracy", "5"), ("speed", "3"), ("resolution", "4")), "accuracy is scored twice"),
    ],
)
def test_scores_off_the_rubric_are_refused_naming_the_problem(pairs: tuple[tuple[str, str], ...], problem: str) -> None:
    with pytest.raises(ReviewError) as info:
        read_scores(RUBRIC, pairs)
    assert problem in str(info.value)


def test_scores_on_the_rubric_are_read_ignoring_the_case_of_names() -> None:
    pairs = (("Accuracy", "4"), ("tone", "5"), ("SPEED", "3"), ("resolution", "4"))
    assert read_scores(RUBRIC, pairs) == {"accuracy": 4, "tone": 5, "speed": 3, "resolution": 4}


def test_each_agent_gets_a_count_and_an_average_per_criterion() -> None:
    def review(ticket: int, agent: str | None, accuracy: int, tone: int) -> Review:
        return Review(ticket, "discord:lead", agent, {"accuracy": accuracy, "tone": tone}, "", START)

    found = agent_quality(
        [review(1, "discord:bo", 4, 5), review(2, "discord:bo", 3, 4), review(3, "discord:cy", 5, 5)],
        ("accuracy", "tone"),
    )
    assert [(a.agent, a.reviews, dict(a.averages)) for a in found] == [
        ("discord:bo", 2, {"accuracy": 3.5, "tone": 4.5}),
        ("discord:cy", 1, {"accuracy": 5.0, "tone": 5.0}),
    ]
    assert found[0].overall == 4.0


def _load(tmp_path: Path, body: str) -> Settings:
    path = tmp_path / "helpline.yaml"
    path.write_text(body, encoding="utf-8")
    return load_settings(path, env={})


def test_the_reviews_settings_are_read_into_the_policy(tmp_path: Path) -> None:
    assert Settings().reviews.policy() == ReviewPolicy()
    body = "reviews:\n  criteria: [accuracy, empathy]\n  scale_max: 4\n  sample_fraction: 0.25\n  window: 7d\n"
    policy = _load(tmp_path, body).reviews.policy()
    assert policy.rubric == Rubric(("accuracy", "empathy"), 4)
    assert policy.sample_fraction == 0.25 and policy.window == timedelta(days=7) and policy.low_csat == 2


@pytest.mark.parametrize(
    ("body", "key", "problem"),
    [
        ("reviews:\n  criteria: []\n", "reviews.criteria", "at least one criterion"),
        ("reviews:\n  criteria: [Accuracy Tone]\n", "reviews.criteria", "not a criterion name"),
        ("reviews:\n  criteria: [tone, tone]\n", "reviews.criteria", "named twice"),
        ("reviews:\n  scale_max: 1\n", "reviews.scale_max", "2"),
        ("reviews:\n  sample_fraction: 1.5\n", "reviews.sample_fraction", "1"),
        ("reviews:\n  window: soon\n", "reviews.window", "soon"),
        ("reviews:\n  rubric: [x]\n", "reviews.rubric", ""),
    ],
)
def test_a_mistake_in_the_reviews_settings_names_its_key(tmp_path: Path, body: str, key: str, problem: str) -> None:
    with pytest.raises(ConfigError) as info:
        _load(tmp_path, body)
    assert info.value.key == key and problem in info.value.problem
    assert ReviewSettings().criteria == ("accuracy", "tone", "speed", "resolution")


def test_review_text_reads_as_next_one_ticket_scores_or_the_agents_scores() -> None:
    assert parse_command("review") == ReviewTicket()
    assert parse_command("/review Scores") == ReviewTicket(show_scores=True)
    assert parse_command("review #12") == ReviewTicket(12)
    scored = parse_command("review 12 accuracy=4 Tone=5 speed=3 resolution=4 Ask for the x=y value first")
    assert scored == ReviewTicket(
        12, (("accuracy", "4"), ("Tone", "5"), ("speed", "3"), ("resolution", "4")), "Ask for the x=y value first"
    )
    for text, problem in (("review soon", '"soon" is not a ticket number'), ("review scores now", "unexpected")):
        with pytest.raises(CommandError) as info:
            parse_command(text)
        assert problem in str(info.value) and "Usage: review" in str(info.value)
