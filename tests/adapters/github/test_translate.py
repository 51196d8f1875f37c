"""Pure GitHub translation on recorded payloads: signatures, events, commands, quieting and comment text."""

from __future__ import annotations

import pytest

from bots.github.actions import IssueActions, Op, Step
from bots.github.client import rate_limit_end
from bots.github.translate import (
    Commented,
    IssueChanged,
    PayloadError,
    Ping,
    acknowledgement_comment,
    command_in,
    core_command,
    issue_message,
    issue_of,
    quiet,
    read_event,
    sign,
    verify_signature,
)
from core.desk.issues import IssueKind, kind_of
from core.messages import Address, Citation, Reply, ReplyKind
from tests.adapters.github_world import payload
from tests.desk_fakes import START

BODY = b'{"zen": "Keep it logically awesome."}'


def test_only_a_matching_sha256_signature_under_a_configured_secret_passes() -> None:
    good = sign("s3cret", BODY)
    assert good.startswith("sha256=") and verify_signature("s3cret", BODY, good)
    assert verify_signature("s3cret", BODY, good.upper().replace("SHA256=", "sha256="))  # hex case does not matter
    assert not verify_signature("s3cret", BODY + b" ", good)
    assert not verify_signature("other", BODY, good)
    assert not verify_signature("", BODY, sign("", BODY))  # no secret: nothing passes
    assert not verify_signature("s3cret", BODY, None)
    assert not verify_signature("s3cret", BODY, good.replace("sha256=", "sha1="))


def test_an_opened_issue_is_read_with_its_repository_author_and_address() -> None:
    event = read_event("issues", payload("issues.opened"))
    assert isinstance(event, IssueChanged) and event.action == "opened"
    issue = event.issue
    assert (issue.repo.full_name, issue.number, issue.author.login, issue.pull_request) == (
        "Codertocat/Hello-World", 1, "Codertocat", False
    )  # fmt: skip
    assert issue.address == Address("github", "Codertocat", "Hello-World", "1")
    assert issue_of(issue.address) == ("Codertocat/Hello-World", 1)
    assert issue_of(Address("discord", "g", "c", "1")) is None
    message = issue_message(issue)
    assert (
        message.text
        == "Spelling error in the README file\n\nIt looks like you accidently spelled 'commit' with two 't's."
    )
    assert message.message_id == "issue:444500041"


def test_an_issue_with_an_empty_body_is_read_as_its_title() -> None:
    event = read_event("issues", payload("issues.opened.with-empty-body"))
    assert isinstance(event, IssueChanged) and event.issue.body == ""
    assert issue_message(event.issue).text == "Spelling error in the README file"


def test_comments_ping_and_unused_events_are_told_apart() -> None:
    event = read_event("issue_comment", payload("issue_comment.created.with-installation"))
    assert isinstance(event, Commented) and (event.comment_id, event.author.login) == (492700400, "Codertocat")
    assert event.body.startswith("You are totally right!")
    assert read_event("ping", payload("ping")) == Ping("Anything added dilutes everything else.")
    assert read_event("issues", {**payload("issues.labeled"), "action": "assigned"}) is None
    labeled = read_event("issues", payload("issues.labeled"))  # read for the enhancement label (requests)
    assert isinstance(labeled, IssueChanged) and (labeled.action, labeled.label) == ("labeled", "bug")
    assert read_event("installation", payload("installation.created")) is None
    assert isinstance(read_event("issues", payload("issues.opened.with-organization")), IssueChanged)


@pytest.mark.parametrize(
    ("broken", "problem"),
    [
        ({"action": "opened"}, "^repository is missing"),
        (
            {"action": "opened", "issue": {"number": 1, "id": 2, "user": {"login": "a"}}, "repository": {}},
            "repository.owner is missing",
        ),
        (
            {"action": "opened", "issue": {"number": "1"}, "repository": {"name": "r", "owner": {"login": "o"}}},
            "number",
        ),
    ],
)
def test_a_malformed_payload_says_what_is_wrong(broken: dict[str, object], problem: str) -> None:
    with pytest.raises(PayloadError, match=problem):
        read_event("issues", broken)
    with pytest.raises(PayloadError):
        read_event("issues", ["not", "an", "object"])


def test_a_pull_request_comment_is_marked_as_one() -> None:
    data = payload("issue_comment.created")
    data["issue"]["pull_request"] = {"url": "https://api.github.com/repos/Codertocat/Hello-World/pulls/1"}
    event = read_event("issue_comment", data)
    assert isinstance(event, Commented) and event.issue.pull_request


def test_helpline_commands_become_core_commands_on_the_issues_ticket() -> None:
    assert command_in("/helpline claim") == "claim"
    assert command_in("  /Helpline priority high\nbecause it blocks us") == "priority high"
    assert command_in("/helpline") == ""
    assert command_in("please /helpline claim") is None and command_in("/helplines claim") is None
    assert command_in("") is None
    assert core_command("claim", 12) == "claim 12"
    assert core_command("priority high", 12) == "priority 12 high"
    assert core_command("Escalate", 3) == "escalate 3"
    assert core_command("list", 3) is None and core_command("stats", 3) is None and core_command("", 3) is None


def test_quoted_text_cannot_mention_anyone() -> None:
    text = quiet("thanks @octocat and @octo-org/core-team, mail me at a@b.example \u202eevil")
    assert "@octocat" not in text and "@\u200boctocat" in text and "@\u200bocto-org/core-team" in text
    assert "\u202e" not in text


def test_the_acknowledgement_quotes_the_answer_links_the_article_and_invites_a_reply() -> None:
    reply = Reply(
        ReplyKind.ANSWER, "Exit code 137 means out of memory.\nSee @ops.", Citation("OOM › Why", "https://d/oom")
    )
    text = acknowledgement_comment("Helpline ticket #7 is open for this issue, at low priority.", reply)
    assert text.startswith("Thanks for opening this! Helpline ticket #7 is open")
    assert "> **OOM › Why**" in text and "> Exit code 137 means out of memory." in text and "> See @\u200bops." in text
    assert "[OOM › Why](https://d/oom)" in text and "reply here" in text


def test_the_acknowledgement_without_an_answer_still_names_the_ticket() -> None:
    text = acknowledgement_comment("Helpline ticket #8 is open for this issue, at high priority. Ping @all.", None)
    assert "ticket #8" in text and "@\u200ball" in text and "known issue" not in text


def test_actions_round_trip_and_keep_only_the_steps_left() -> None:
    actions = IssueActions("o/r", 3, (Step(Op.LABELS, labels=("bug",)), Step(Op.COMMENT, body="hi"), Step(Op.CLOSE)))
    assert IssueActions.decode(actions.encode()) == actions
    assert IssueActions.decode(actions.rest(1).encode()).steps == actions.steps[1:]
    with pytest.raises(ValueError):
        IssueActions.decode(b'{"repo": "o/r"}')


def test_rate_limit_answers_name_the_time_to_wait_until() -> None:
    secondary = rate_limit_end(403, {"Retry-After": "45"}, "You have exceeded a secondary rate limit", START)
    assert secondary is not None and (secondary - START).total_seconds() == 45
    reset = int(START.timestamp()) + 600
    primary = rate_limit_end(
        403, {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(reset)}, "API rate limit", START
    )
    assert primary is not None and (primary - START).total_seconds() == 601
    unnamed = rate_limit_end(429, {}, "", START)
    assert unnamed is not None and (unnamed - START).total_seconds() == 60
    assert rate_limit_end(403, {}, "Resource not accessible by integration", START) is None
    assert rate_limit_end(500, {"Retry-After": "1"}, "", START) is None


def test_an_issue_is_a_bug_enhancement_question_or_about_the_docs() -> None:
    from core.understanding.classifier import IntentPrediction
    from core.understanding.understander import Understanding

    def understood(intent: str | None, category: str | None) -> Understanding:
        return Understanding("x", False, IntentPrediction(intent, intent, 0.9, 0.5, "confident"), category, None, ())

    assert kind_of("Crash on start", understood("bug_report", "bug")) is IssueKind.BUG
    assert kind_of("Site is down", understood("service_down", "incident")) is IssueKind.BUG
    assert kind_of("Add dark mode", understood("feature_request", "product_feedback")) is IssueKind.ENHANCEMENT
    assert kind_of("How do I deploy?", understood("how_to_question", "usage")) is IssueKind.QUESTION
    assert kind_of("Typo in the docs", understood("bug_report", "bug")) is IssueKind.DOCUMENTATION
    assert kind_of("Something", understood(None, None)) is IssueKind.QUESTION


def test_a_reply_too_long_for_github_is_cut_with_a_note() -> None:
    from bots.github.translate import COMMENT_CHARS, reply_comment

    text = reply_comment(Reply(ReplyKind.TICKET, "word " * 20_000))
    assert len(text) < COMMENT_CHARS + 100 and text.endswith("kept on the Helpline ticket)")
    assert reply_comment(Reply(ReplyKind.TICKET, "short")) == "short"


def test_a_signature_with_non_ascii_characters_is_refused_not_an_error() -> None:
    assert not verify_signature("s3cret", BODY, "sha256=\u00e9\u00e9")


def test_credentials_name_what_is_wrong_with_a_half_configured_app(caplog: pytest.LogCaptureFixture) -> None:
    from github import Auth

    from bots.github.client import credentials

    assert isinstance(credentials({"GITHUB_TOKEN": " ghp_x "}), Auth.Token)
    assert credentials({}) is None and not caplog.records
    assert credentials({"GITHUB_APP_ID": "12", "GITHUB_APP_PRIVATE_KEY": "not a key"}) is None
    [record] = caplog.records
    assert "GITHUB_APP_INSTALLATION_ID" in record.getMessage() and "GITHUB_APP_PRIVATE_KEY" in record.getMessage()
    assert "GITHUB_APP_ID," not in record.getMessage()


def test_a_comment_says_which_files_it_could_not_carry() -> None:
    from bots.github.translate import reply_comment
    from core.messages import Attachment

    chart = Attachment("digest.png", "image/png", b"\x89PNG")
    text = reply_comment(Reply(ReplyKind.INFO, "Weekly support digest", attachments=(chart,)))
    assert text.startswith("Weekly support digest") and "Not attached: digest.png" in text
    assert "PNG" not in text.replace("digest.png", "")  # no bytes in the comment
