"""Generic boilerplate rules: how news pages around the world frame an article's text.

Each rule names the kind of stretch it excludes. They describe conventions, not any one
article: photo credits in brackets at the end of a caption ``(Jane Doe/AP)``, credit labels
(``Photo: …``, ``Photograph: Jane Doe/Getty Images``), agency-only credit lines, caption
labels, link lists (``Read more``, ``Related Topics``, ``As X reported earlier:``),
subscription, donation and share pleas, comment forms, copyright and server footers, and
wire sign-offs (``Reporting by …; Editing by …``). Outlet profiles add their own rules before
these; anything no rule claims is judged by the layout engine (short non-sentence lines are
headings, everything else is body).
"""

from __future__ import annotations

from kzdata.sources.profile import Rule, RuleSet, rule

_AGENCIES = (
    r"getty images|shutterstock|istock(?:photo)?|alamy|ap photo|afp|reuters|epa(?:-efe)?|anadolu agency|"
    r"tass|sputnik|ria novosti|xinhua|pool|depositphotos|unsplash|wikimedia commons"
)

GENERIC_RULES: tuple[Rule, ...] = (
    # captions and credits
    rule(
        "caption-bracketed-credit",
        "caption",
        r"\((?:photo(?:graph)?(?: by)?:?\s*)?[A-Z][^()/\n]{0,80}/\s?[A-Z][^()\n]{1,60}\)\s*\.?$",
        flags=0,
    ),
    rule(
        "caption-inline-credit",
        "caption",
        rf"\b(?:photograph|photo|picture|image|credit)(?: by)?\s*(?:[:,]|\.{{3}}|…)\s*"
        rf"(?:[^.:/]{{1,40}}/[^.:/]{{1,40}}|(?:[^.:]{{0,40}}\s)?(?:{_AGENCIES}))\.?$",
    ),
    rule(
        "caption-tail-credit",
        "caption",
        r"[.!?]\s+(?:[A-Z][A-Z&-]+\s)*[A-Z][A-Z&-]+\s?/\s?[A-Z][\w'’-]+(?:\s[A-Z][\w'’-]+){0,3}$",
        flags=0,
    ),
    rule("caption-label", "caption", r"^(?:image|media|photo|video) caption\b|^caption\s*:"),
    rule(
        "credit-label",
        "credit",
        r"^(?:photo|photos|photograph|image|picture|video|illustration|source|image source|credit)"
        r"(?: credit)?\s*(?:[:：—–-]|\.{3}|…|\bby\b)\s*\S",
        max_words=10,
    ),
    rule("credit-agency", "credit", rf"^(?:.{{0,60}}\s)?(?:{_AGENCIES})(?:\s?/\s?.{{0,40}})?$", max_words=8),
    rule(
        "credit-outlet-photo",
        "credit",
        r"^[\w .'’&-]{1,40}\s(?:photo|photos|image|images|illustration|graphic)$",
        max_words=6,
    ),
    rule(
        "credit-wire-signoff",
        "credit",
        r"^\(?(?:additional )?(?:reporting|writing|editing|compiled) by\b",
        max_words=40,
    ),
    # reading suggestions and link lists
    rule(
        "related-read-more", "related", r"^(?:read|see|watch|listen)\s+(?:also|more|next|too|further)\b", max_words=20
    ),
    rule(
        "related-also-read",
        "related",
        r"^(?:also read|also see|related|recommended|more on this(?: story| topic)?|"
        r"more from(?: the)? [\w'’-]+(?: [\w'’-]+){0,2}|more stories|most (?:read|popular|viewed)|"
        r"top stories|trending(?: now)?|"
        r"latest (?:news|stories)|in other news)"
        r"(?:\s+(?:topics|articles|stories|news|content|coverage|links|for you|reading))?\s*(?::.*)?$",
        max_words=25,
    ),
    rule(
        "related-key-events",
        "related",
        r"^(?:key (?:events|points|moments|developments|takeaways|facts)|highlights|at a glance)\s*:?\s*$",
    ),
    rule(
        "related-interested",
        "related",
        r"^(?:you (?:may|might|will) (?:also )?(?:like|be interested in|want to read)|"
        r"on the (?:subject|topic)\s*:)",
    ),
    rule(
        "related-earlier",
        "related",
        r"^(?:as|like)\s+[\w .'’-]{2,40}\s+(?:wrote|reported|has written|has reported|"
        r"previously reported|reported earlier)(?:\s+(?:earlier|previously|before))?\s*:\s*$",
    ),
    # pleas
    rule(
        "subscribe-lead",
        "subscribe",
        r"^(?:subscribe|sign up|join us|follow us|support us|donate|become a (?:member|"
        r"subscriber|patron)|get (?:our|the) (?:newsletter|app)|download (?:our|the) app)\b",
    ),
    rule(
        "subscribe-anywhere",
        "subscribe",
        r"\b(?:subscribe to (?:our|us)|follow us on|support us|sign up (?:for|to) "
        r"(?:our|the) [\w ]{0,30}newsletter|our telegram channel)\b",
    ),
    rule(
        "subscribe-follow",
        "subscribe",
        r"^follow\s+(?:[\w@.'’-]+\s+){1,5}on\s+(?:telegram|twitter|x|facebook|instagram|youtube|vk|whatsapp|"
        r"threads|bluesky|mastodon)\b",
        max_words=30,
    ),
    rule(
        "share",
        "share",
        r"^(?:share|click to share|tweet|email|print)(?:\s+(?:this|on|via|with|article|story|"
        r"post|page|the story|the article))*\s*:?\s*$",
    ),
    # comment forms
    rule(
        "comments-form",
        "comments",
        r"^(?:leave a (?:reply|comment)|add (?:a )?comment|post (?:a )?comment|"
        r"(?:\d+\s+)?comments?\s*(?:\(\d+\))?\s*$|show comments|view comments|join the (?:conversation|discussion)|"
        r"your email address will not be published|required fields are marked|cancel reply|"
        r"you must be logged in to (?:post a )?comment)",
    ),
    # a wire dateline alone on its line ("CITY, Country --"), its text starting on the next line
    rule("dateline-bare", "dateline", r"^[A-Z][A-Z .'’-]{1,40}(?:,\s[A-Z][\w .'’-]{1,30})?\s?(?:--|[—–])$", flags=0),
    # footers and navigation
    rule("footer-server", "footer", r"^\d[\d,. ]*\s+(?:requests|queries)\s+in\s+[\d.,]+\s+seconds?\.?$"),
    rule("footer-standards", "footer", r"^our (?:standards|editorial (?:standards|principles))\s*:", max_words=20),
    rule("footer-copyright", "footer", r"^(?:©|\(c\)\s|copyright\b)|\ball rights reserved\b", max_words=40),
    rule(
        "footer-links",
        "footer",
        r"^(?:(?:terms of (?:use|service)|privacy(?: policy)?|cookie (?:policy|settings)|"
        r"about us|contact us|advertise(?: with us)?)\s*[|•·,/]?\s*)+$",
    ),
    rule(
        "navigation",
        "navigation",
        r"^(?:home|news)\s*[>›»|/]|^skip to (?:main )?content\b|^click here\b|^https?://\S+$",
        max_words=15,
    ),
    rule(
        "advert",
        "advert",
        r"^(?:advertisement|advert|sponsored(?: content)?|ad|story continues below(?: advertisement)?)$",
    ),
    # embedded posts: the signature line of an embedded tweet, links to pictures
    rule("embed-signature", "embed", r"^[—–-]\s*[^()\n]{1,60}\(@\w{1,15}\)\s+\w+\.? \d{1,2},? \d{4}$"),
    rule("embed-link", "embed", r"\bpic\.twitter\.com/\w+", max_words=60),
)

GENERIC = RuleSet(GENERIC_RULES)
COMMENT_KINDS = frozenset({"comments"})
RELATED_KINDS = frozenset({"related"})
