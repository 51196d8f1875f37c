"""Fixture mails written in the shapes Gmail, Outlook and Apple Mail send replies in, plus robots' mail."""

from __future__ import annotations

GMAIL_REPLY = b"""\
From: Ana Lopez <ana@customer.example>
To: Helpline <support+t42-TOKEN@helpline.example>
Subject: Re: Cannot log in [#42]
Message-ID: <CAF=abc123@mail.gmail.com>
In-Reply-To: <helpline.t42.TOKEN.1@helpline.example>
References: <root@customer.example> <helpline.t42.TOKEN.1@helpline.example>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="000000000000gm"

--000000000000gm
Content-Type: text/plain; charset="UTF-8"

Still failing after the reset, sorry.

On Tue, 1 Dec 2026 at 10:00, Helpline <support@helpline.example> wrote:
> We opened ticket #42 for you.
> Please try resetting your password.

--000000000000gm
Content-Type: text/html; charset="UTF-8"

<div dir="ltr">Still failing after the reset, sorry.</div><br>
<div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Tue, 1 Dec 2026 at 10:00, Helpline wrote:<br></div>
<blockquote class="gmail_quote">We opened ticket #42 for you.</blockquote></div>

--000000000000gm--
"""

OUTLOOK_HTML_ONLY = """\
From: =?iso-8859-1?Q?J=FCrgen_M=FCller?= <juergen@bigcorp.example>
To: support@helpline.example
Subject: =?iso-8859-1?Q?R=FCckfrage_zur_Rechnung?=
Message-ID: <AM0PR01MB1234@eurprd01.prod.outlook.com>
MIME-Version: 1.0
Content-Type: text/html; charset="iso-8859-1"
Content-Transfer-Encoding: quoted-printable

<html><head><style>p {margin:0}</style></head><body>
<p>Guten Tag, die Rechnung f=FCr M=E4rz ist doppelt.</p>
<p>Gr=FC=DFe<br>J=FCrgen</p>
<div id=3D"appendonsend"></div>
<hr><div id=3D"divRplyFwdMsg"><b>From:</b> Billing &lt;billing@helpline.example&gt;<br><b>Sent:</b> Monday</div>
<p>Your invoice is attached.</p>
</body></html>
""".encode("ascii")

APPLE_MAIL_WITH_ATTACHMENT = b"""\
From: Kim <kim@customer.example>
To: support@helpline.example
Subject: Crash on start
Message-ID: <8F2B@customer.example>
MIME-Version: 1.0 (Mac OS X Mail 16.0)
Content-Type: multipart/mixed; boundary="Apple-Mail=_1"

--Apple-Mail=_1
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

The app crashes on start \xe2\x80\x94 log attached.

Sent from my iPhone

--Apple-Mail=_1
Content-Disposition: attachment; filename=crash.log
Content-Type: text/plain; name="crash.log"
Content-Transfer-Encoding: base64

RkFUQUw6IG51bGwgcG9pbnRlcgo=

--Apple-Mail=_1--
"""

OUT_OF_OFFICE = b"""\
From: Ana Lopez <ana@customer.example>
To: support@helpline.example
Subject: Automatic reply: Cannot log in
Auto-Submitted: auto-replied
X-Auto-Response-Suppress: All
Message-ID: <ooo1@customer.example>
Content-Type: text/plain

I am away until Monday.
"""

BOUNCE = b"""\
From: Mail Delivery Subsystem <mailer-daemon@mx.customer.example>
To: support@helpline.example
Subject: Undelivered Mail Returned to Sender
Message-ID: <bounce1@mx.customer.example>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="b1"

--b1
Content-Type: text/plain

Your message could not be delivered.
--b1
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.customer.example
Final-Recipient: rfc822; nobody@customer.example
Action: failed
Status: 5.1.1
--b1--
"""

NEW_QUESTION = b"""\
From: Ana Lopez <ana@customer.example>
To: support@helpline.example
Subject: Cannot log in
Message-ID: <root@customer.example>
Content-Type: text/plain; charset=utf-8

Hello, I cannot log in since this morning.
"""


def with_token(mail: bytes, token: str) -> bytes:
    """A fixture with the ticket token (an HMAC under the test's secret) filled in."""
    return mail.replace(b"TOKEN", token.encode())
