"""A resolved ticket's conversation as a draft article: what is extracted, and what is too trivial to propose."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.knowledge.articles import BODY_CHARS
from core.knowledge.drafting import DraftRules, draft_from, sentence_case, substantial, ticket_url, title_from
from core.messages import Address
from core.tickets.records import ConversationMessage, Role

THREAD = Address("slack", "T1", "C1", "1700000000.0001")
START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
URL = "https://help.example.com"
ANSWER = (
    "Hi Bob, thanks for reaching out! Open **Settings → Billing → Invoices** and click `Download PDF` next to "
    "the month you need.\nLet me know if that helps.\n\nBest,\nDana"
)


def said(*turns: tuple[Role, str], raw: bool = False) -> list[ConversationMessage]:
    """A ticket's kept messages, a minute apart (``raw``: the original text kept too, as adapters do)."""
    names = {Role.CUSTOMER: ("U0BOB", "Bob"), Role.AGENT: ("U0DANA", "Dana"), Role.BOT: ("helpline", "Helpline")}
    names[Role.NOTE] = names[Role.AGENT]
    out = []
    for n, (role, text) in enumerate(turns):
        who, name = names[role]
        kept = " ".join(text.split()) if raw else text  # the cleaned text is one line; the raw keeps the breaks
        out.append(
            ConversationMessage(
                THREAD, who, name, role, kept, START + timedelta(minutes=n), text.encode() if raw else b"", ticket=7
            )
        )
    return out


def test_a_resolved_ticket_proposes_its_question_answer_title_and_link() -> None:
    messages = said(
        (Role.CUSTOMER, "Hi! how do I download my invoices as PDF? thanks in advance"),
        (Role.BOT, "I couldn't find an answer to that in the docs. I can open a ticket so a person can help."),
        (Role.AGENT, ANSWER),
        (Role.CUSTOMER, "that worked, thanks!"),
        (Role.AGENT, "You're welcome!"),
        raw=True,
    )
    draft = draft_from(7, messages, URL)
    assert draft is not None
    assert draft.question == "how do I download my invoices as PDF?"
    assert draft.title == "How do I download my invoices as PDF"
    assert draft.answers == (
        "Open **Settings → Billing → Invoices** and click `Download PDF` next to the month you need.",
    )
    assert draft.body == draft.answers[0]
    assert draft.link == "https://help.example.com/dashboard/tickets/7"
    assert draft.ticket == 7


def test_bot_answers_and_internal_notes_are_never_the_answer() -> None:
    messages = said(
        (Role.CUSTOMER, "Why does my app get killed with exit code 137 during builds?"),
        (Role.BOT, "App killed with exit code 137. Exit code 137 means the container ran out of memory, raise it."),
        (Role.NOTE, "Customer is on the legacy plan with 512 MB, check with billing before offering an upgrade."),
        (Role.AGENT, "Builds get 512 MB on your plan. Set `build.memory: 2048` in tideline.toml to raise it."),
    )
    draft = draft_from(7, messages, URL)
    assert draft is not None
    assert draft.answers == ("Builds get 512 MB on your plan. Set `build.memory: 2048` in tideline.toml to raise it.",)


def test_several_answers_are_kept_in_order_and_trivial_ones_left_out() -> None:
    messages = said(
        (Role.CUSTOMER, "Webhooks from you stopped arriving at our endpoint yesterday, what changed?"),
        (Role.AGENT, "Looking into it now."),
        (Role.AGENT, "We rotated the signing secret on Monday, so signatures made with the old one fail your check."),
        (Role.AGENT, "Copy the new secret from Settings > Webhooks and redeploy."),
    )
    draft = draft_from(7, messages, URL)
    assert draft is not None
    assert draft.answers == (
        "We rotated the signing secret on Monday, so signatures made with the old one fail your check.",
        "Copy the new secret from Settings > Webhooks and redeploy.",
    )
    assert draft.body == "\n\n".join(draft.answers)


def test_the_question_is_what_the_customer_wrote_before_the_first_human_reply() -> None:
    messages = said(
        (Role.CUSTOMER, "hello"),
        (Role.BOT, "Hello! How can I help?"),
        (Role.CUSTOMER, "Can I move my app to the EU region?"),
        (Role.CUSTOMER, "It's on the Pro plan."),
        (Role.AGENT, "Yes: run `tideline regions move --to eu-west` and the app is copied, then switched over."),
        (Role.CUSTOMER, "Also, is there downtime?"),
    )
    draft = draft_from(7, messages, URL)
    assert draft is not None
    assert draft.question == "Can I move my app to the EU region?\nIt's on the Pro plan."
    assert draft.phrasing == "Can I move my app to the EU region? It's on the Pro plan."
    assert draft.title == "Can I move my app to the EU region"


def test_a_signature_is_found_in_the_original_line_breaks() -> None:
    messages = said(
        (Role.CUSTOMER, "Our custom domain shows a certificate error.\n\nRegards,\nMaria Lopez\nHead of IT, Acme"),
        (Role.AGENT, "Certificates are issued once your CNAME points at us: check it with `dig www.acme.example`."),
        raw=True,
    )
    draft = draft_from(7, messages, URL)
    assert draft is not None and draft.question == "Our custom domain shows a certificate error."


@pytest.mark.parametrize(
    "reply",
    [
        "thanks",
        "fixed",
        "Fixed, please try again now.",
        "Done! Should work now, let me know.",
        "Hi Bob, thanks for your patience! Fixed on our side. Best, Dana",
        "I restarted your instance, it is fine now.",  # one short line: 8 words, nothing to follow
        "Could you tell me which plan you are on and the exact error message you see when deploying?",
        "Which region is it in? And since when?",
        "Run `x`",  # something to follow, but 2 words
    ],
)
def test_trivial_replies_propose_nothing(reply: str) -> None:
    messages = said((Role.CUSTOMER, "My deploys fail since this morning, can you check?"), (Role.AGENT, reply))
    assert draft_from(7, messages, URL) is None


def test_substantial_starts_at_twelve_words_or_six_with_something_to_follow() -> None:
    twelve = "Your account was moved to the new billing system during last night"
    assert len(twelve.split()) == 12 and substantial(twelve)
    assert not substantial(" ".join(twelve.split()[:11]))
    assert substantial("Open Settings > Billing and pay there.")  # 6 words and a menu path
    assert not substantial("Open Settings > Billing and pay.")  # 5 words
    assert substantial("Run `tideline login --sso` then retry")  # code
    assert substantial("It is described at https://docs.example.com/sso here")  # a link
    assert substantial("1. Open Team\n2. Click Invite\n3. Enter the address")  # steps
    assert not substantial("Greetings and thanks so much, best regards")  # politeness is taken out before
    rules = DraftRules(min_words=4, min_words_with_steps=2)
    assert substantial("We fixed the bug.", rules)


def test_a_conversation_without_a_question_proposes_nothing() -> None:
    messages = said(
        (Role.CUSTOMER, "hi there! thanks"),
        (Role.AGENT, "Hi! The maintenance tonight moves every database to new hosts; expect 5 minutes of downtime."),
    )
    assert draft_from(7, messages, URL) is None


def test_a_conversation_without_a_human_reply_proposes_nothing() -> None:
    messages = said(
        (Role.CUSTOMER, "How do I reset my password?"),
        (Role.BOT, "Resetting your password: open the sign-in page and choose Forgot password, then follow the email."),
    )
    assert draft_from(7, messages, URL) is None
    assert draft_from(7, [], URL) is None


def test_messages_are_read_in_the_order_they_were_written() -> None:
    customer, agent = said(
        (Role.CUSTOMER, "How do I invite a teammate to my workspace?"),
        (Role.AGENT, "Open Team in the sidebar, click Invite and type their e-mail address; they get a link."),
    )
    draft = draft_from(7, [agent, customer], URL)
    assert draft is not None and draft.question == "How do I invite a teammate to my workspace?"


def test_long_questions_and_answers_are_bounded() -> None:
    long_question = "Why " + "does the build fail " * 200 + "?"
    long_answer = "Because " + "the cache is stale and " * 2000
    draft = draft_from(7, said((Role.CUSTOMER, long_question), (Role.AGENT, long_answer)), URL)
    assert draft is not None
    assert len(draft.question) <= 1000 and len(draft.title) <= 80
    assert len(draft.body) <= BODY_CHARS


@pytest.mark.parametrize(
    ("question", "title"),
    [
        ("how do I download my invoices as PDF?", "How do I download my invoices as PDF"),
        ("HOW DO I CANCEL MY SUBSCRIPTION???", "How do I cancel my subscription"),
        ("How Do I Reset My Password On GitHub SSO", "How do I reset my password on GitHub SSO"),
        ("i can't log in after enabling 2FA!!", "I can't log in after enabling 2FA"),
        ("Help. My app returns 502 since the deploy. What now?", "My app returns 502 since the deploy"),
        ("iPhone app shows a blank screen...", "iPhone app shows a blank screen"),
        ("Webhooks: signature check fails —", "Webhooks: signature check fails"),
        ("Is there a way to " + "really " * 30 + "export data?", "Is there a way to" + " really" * 9),
        ("error ECONNRESET when running tideline deploy", "Error ECONNRESET when running tideline deploy"),
        ("Slack and Stripe integration broke", "Slack and Stripe integration broke"),
    ],
)
def test_a_title_is_the_questions_first_sentence_short_in_sentence_case(question: str, title: str) -> None:
    assert title_from(question) == title


def test_sentence_case_keeps_names_and_acronyms() -> None:
    assert sentence_case("API Tokens For CI Pipelines") == "API tokens for CI pipelines"
    assert sentence_case("npm install fails") == "Npm install fails"
    assert sentence_case("can i use eBay Pay") == "Can I use eBay Pay"


def test_the_ticket_link_is_the_dashboards_ticket_page() -> None:
    assert ticket_url("https://help.example.com/", 12) == "https://help.example.com/dashboard/tickets/12"
    assert ticket_url("http://127.0.0.1:8080", 3) == "http://127.0.0.1:8080/dashboard/tickets/3"
