"""Taking the chat out of what customers and support people write: what a draft article keeps of it."""

from __future__ import annotations

import pytest

from core.knowledge.chat_text import plain_answer, plain_question, word_count


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        # greetings at the start, with or without a name, and thanks at the end
        ("Hi Dana,\nhow do I download my invoices as PDF? Thanks in advance!", "how do I download my invoices as PDF?"),
        ("Hello support team! Where do I change my plan?", "Where do I change my plan?"),
        ("hey there - can I change my workspace slug later? thx", "can I change my workspace slug later?"),
        ("Good morning, the CLI crashes on Windows 11.", "the CLI crashes on Windows 11."),
        ("Hi I cant log in", "I cant log in"),
        ("hiya, quick question: is there a free tier?", "is there a free tier?"),
        ("Hi all. I hope you're doing well. My deploy is stuck.", "My deploy is stuck."),
        ("How do I rotate my API token? Any help would be appreciated.", "How do I rotate my API token?"),
        ("How do I rotate my API token, thanks?", "How do I rotate my API token?"),
        ("Thank you so much! How do I add a teammate?", "How do I add a teammate?"),
        ("Is SSO on the team plan? Thanks, Ana", "Is SSO on the team plan?"),
        ("Is SSO on the team plan? Cheers, Bob Smith", "Is SSO on the team plan?"),
        # signatures: a sign-off line and a few short lines after it
        ("My app is down since 9:00.\n\nBest,\nBob\nCTO, Acme Inc.", "My app is down since 9:00."),
        ("Webhooks stopped arriving.\n--\nAna Lima\nacme.example", "Webhooks stopped arriving."),
        ("Billing page shows an error.\n\nSent from my iPhone", "Billing page shows an error."),
        ("Can I pay yearly?\nKind regards,\nMaria", "Can I pay yearly?"),
        # platform mentions: Slack, Discord, GitHub, @here
        ("<@U0HELP> my deploy fails with exit code 137", "my deploy fails with exit code 137"),
        ("<@!1234567> <@&99> can someone look at billing?", "can someone look at billing?"),
        ("@helpline @dana the webhook signature check fails", "the webhook signature check fails"),
        ("<!here> is the API down? <#C0GEN|general>", "is the API down?"),
        ("login is broken <:sad:1234> :sob:", "login is broken"),
        # markup: Markdown, Slack links, HTML, code kept as words
        ("**Where** can I find [the docs](https://docs.example.com/x)?", "Where can I find the docs?"),
        ("see <https://status.example.com|the status page> — is it down?", "see the status page — is it down?"),
        ("Running `tideline deploy` fails with `ECONNRESET`", "Running tideline deploy fails with ECONNRESET"),
        ("# Upgrade failed\n> Error: quota exceeded\n- on Pro", "Upgrade failed\nError: quota exceeded\non Pro"),
        ("```\nError 502 Bad Gateway\n```\nwhat does this mean?", "Error 502 Bad Gateway\nwhat does this mean?"),
        ("<b>Export</b> to CSV fails<br>", "Export to CSV fails"),
        # what is not chat stays
        ("email me at bob@acme.com please", "email me at bob@acme.com please"),
        ("Thanks to the outage our bill doubled, refund?", "Thanks to the outage our bill doubled, refund?"),
        ("Best way to migrate from Heroku?", "Best way to migrate from Heroku?"),
        ("Please let me know how to export my data", "Please let me know how to export my data"),
    ],
)
def test_a_question_keeps_what_was_asked(written: str, kept: str) -> None:
    assert plain_question(written) == kept


@pytest.mark.parametrize(
    "written",
    ["thanks!", "Thank you so much :)", "hi", "Hello there!", "thx 🙏", "<@U0HELP>", "help please", "   ", "👍", "ok"],
)
def test_chat_alone_leaves_no_question(written: str) -> None:
    assert plain_question(written) in ("", "ok")  # "ok" is a word; the draft rules decide about it


def test_only_politeness_leaves_nothing() -> None:
    assert plain_question("Hi there, thanks in advance!\n\nBest,\nBob") == ""


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        (
            "Hi Bob, thanks for reaching out! Go to **Settings → Billing** and click `Download`.\n"
            "Let me know if that helps.\n\nBest,\nDana",
            "Go to **Settings → Billing** and click `Download`.",
        ),
        ("Thanks for waiting, I've reset your API key.", "I've reset your API key."),
        ("@bob I've restarted it, thanks", "I've restarted it"),
        ("Hi Cara, yes: turn on Static egress.", "Yes: turn on Static egress."),
        ("Hi Cara, iOS builds need Xcode 15.", "iOS builds need Xcode 15."),
        ("hey, `tideline login` again", "`tideline login` again"),
        (
            "Hey Ana,\n\n1. Open *Team*\n2. Click `Invite`\n\nHope this helps!",
            "1. Open *Team*\n2. Click `Invite`",
        ),
        ("You're welcome! Have a great day.", ""),
        ("Sorry for the trouble. The outage is over since 10:05 UTC.", "The outage is over since 10:05 UTC."),
    ],
)
def test_an_answer_keeps_its_markdown_without_the_chat(written: str, kept: str) -> None:
    assert plain_answer(written) == kept


def test_a_message_that_goes_on_after_thanks_keeps_all_of_it() -> None:
    written = "Try this first.\nThanks,\nthen run `tideline logs --tail` and send us the output of the last deploy"
    assert "tideline logs --tail" in plain_answer(written)


def test_words_are_counted_without_punctuation_or_emoji() -> None:
    assert word_count("Go to Settings → Billing 👍 and click `Download`.") == 7
