"""Mails for the ingest tests, in the shapes Gmail and Outlook send them (CRLF is added when they are APPENDed)."""

from __future__ import annotations

ROOT = "CAH7x=Qm9vZ2xlLmNvbQ@mail.gmail.com"
SPOOFED_ID = "DB9PR04MB8412A1@DB9PR04MB8412.eurprd04.prod.outlook.com"

GMAIL_NEW = b"""\
Return-Path: <ana@customer.example>
Delivered-To: support@helpline.example
Received: from mail-lf1-f41.google.com (mail-lf1-f41.google.com [209.85.167.41])
\tby mx.helpline.example with ESMTPS id 4Fq1; Tue, 1 Dec 2026 09:58:12 +0000
MIME-Version: 1.0
From: Ana Lopez <ana@customer.example>
Date: Tue, 1 Dec 2026 10:58:01 +0100
Message-ID: <CAH7x=Qm9vZ2xlLmNvbQ@mail.gmail.com>
Subject: The export crashes
To: support@helpline.example
Content-Type: multipart/alternative; boundary="0000000000004a1b2c05f1"

--0000000000004a1b2c05f1
Content-Type: text/plain; charset="UTF-8"

Hi, the app crashes every time I export a report to PDF.
Version 4.1 on Windows 11.

Ana

--0000000000004a1b2c05f1
Content-Type: text/html; charset="UTF-8"

<div dir="ltr">Hi, the app crashes every time I export a report to PDF.<div>Version 4.1 on Windows 11.</div>\
<div><br></div><div>Ana</div></div>

--0000000000004a1b2c05f1--
"""


def gmail_answer(to: str, in_reply_to: str, subject: str) -> bytes:
    """Ana's answer to a Helpline mail from Gmail: her words on top, the whole mail quoted below."""
    return f"""\
MIME-Version: 1.0
From: Ana Lopez <ana@customer.example>
Date: Tue, 1 Dec 2026 14:02:44 +0100
Message-ID: <CAH7x=answer2@mail.gmail.com>
Subject: Re: {subject.removeprefix("Re: ")}
To: {to}
In-Reply-To: {in_reply_to}
References: <{ROOT}> {in_reply_to}
Content-Type: multipart/alternative; boundary="00000000000077aa88bb"

--00000000000077aa88bb
Content-Type: text/plain; charset="UTF-8"

Updated, and the export works now. Thank you!

On Tue, 1 Dec 2026 at 12:30, Helpline <support@helpline.example> wrote:
> Please update to 4.2, the export is fixed there.
>
> On Tue, 1 Dec 2026 at 10:58, Ana Lopez wrote:
> > Hi, the app crashes every time I export a report to PDF.

--00000000000077aa88bb
Content-Type: text/html; charset="UTF-8"

<div dir="ltr">Updated, and the export works now. Thank you!</div><br>
<div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Tue, 1 Dec 2026 at 12:30, Helpline wrote:<br></div>
<blockquote class="gmail_quote">Please update to 4.2, the export is fixed there.</blockquote></div>

--00000000000077aa88bb--
""".encode()


# An enterprise customer's domain in From, sent from elsewhere: the only DKIM signature is the sending
# service's own (d=bulk-sender.example), so nothing proves bigcorp.example sent it.
OUTLOOK_SPOOFED = b"""\
Received: from smtp.bulk-sender.example (smtp.bulk-sender.example [198.51.100.7])
\tby mx.helpline.example; Tue, 1 Dec 2026 11:04:09 +0000
DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=bulk-sender.example; s=s1;
\th=from:to:subject; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=; b=dGVzdA==
From: "CFO, BigCorp" <cfo@bigcorp.example>
To: "support@helpline.example" <support@helpline.example>
Subject: Urgent: the app crashes during our board meeting
Date: Tue, 1 Dec 2026 11:04:01 +0000
Message-ID: <DB9PR04MB8412A1@DB9PR04MB8412.eurprd04.prod.outlook.com>
Content-Language: en-US
X-MS-Has-Attach:
MIME-Version: 1.0
Content-Type: text/html; charset="us-ascii"
Content-Transfer-Encoding: quoted-printable

<html><body><div class=3D"WordSection1"><p class=3D"MsoNormal">The app crashes on every laptop here. \
Fix it within the hour under our enterprise contract.</p></div></body></html>
"""
