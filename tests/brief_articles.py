"""ArticleSummary records built in code for the briefing tests.

Three articles written for these tests (a delivery and a pledge reported by a US official;
a Kremlin denial of the delivery alongside a leaked contract; an Iranian pledge of drones)
and one hostile article whose title, text, actor names, weapon and claim carry script,
event-handler and ``javascript:`` payloads that would set ``window.pwned`` (and an emoji
before its evidence, so offsets count code points, not UTF-16 units).
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Optional

from summariser.records import (
    SCHEMA_VERSION,
    Actor,
    ActorType,
    ArmsTransfer,
    ArticleSummary,
    Category,
    Claim,
    ClaimType,
    DateInterval,
    Evidence,
    Factuality,
    Provenance,
    Status,
    Usage,
)


def evidence(text: str, quote: str) -> Evidence:
    start = text.index(quote)
    return Evidence(quote=quote, start=start, end=start + len(quote))


def provenance(minute: int) -> Provenance:
    return Provenance(
        model="test-model",
        endpoint="openai-compatible",
        prompt_hash="0123456789abcdef",
        schema_version=SCHEMA_VERSION,
        version="0.1.0",
        usage=Usage(prompt_tokens=900, completion_tokens=120, llm_calls=3),
        timings={"total": 1.5},
        chunks=1,
        created_at=datetime(2026, 3, 2, 9, minute, tzinfo=timezone.utc),
    )


class Builder:
    """Records of one article; every evidence span is found in its text by code."""

    def __init__(self, title: str, body: str, **fields: object) -> None:
        self.title, self.text, self.fields = title, f"{title}\n\n{body}", fields
        self.actors: list[Actor] = []
        self.transfers: list[ArmsTransfer] = []
        self.claims: list[Claim] = []

    def actor(
        self, id: str, name: str, kind: str, country: Optional[str], *aliases: str
    ) -> Builder:
        mention = next((a for a in (name, *aliases) if a in self.text), None)
        self.actors.append(
            Actor(
                id=id, name=name, aliases=list(aliases), type=ActorType(kind), country=country,
                evidence=[evidence(self.text, mention)] if mention else [],
            )
        )  # fmt: skip
        return self

    def transfer(
        self, supplier: Optional[str], recipient: Optional[str], weapon: str, category: str,
        status: str, quote: str, quantity: Optional[int] = None,
        when: Optional[tuple[str, date, date]] = None,
    ) -> Builder:  # fmt: skip
        """``when``: (the date words, which are in ``quote``; first day; last day)."""
        self.transfers.append(
            ArmsTransfer(
                id=f"t{len(self.transfers) + 1}", supplier=supplier, recipient=recipient,
                weapon=weapon, category=Category(category), status=Status(status),
                quantity=quantity, quantity_text=None if quantity is None else str(quantity),
                evidence=[evidence(self.text, quote)],
                date_text=when[0] if when else None,
                date=DateInterval(start=when[1], end=when[2]) if when else None,
            )
        )  # fmt: skip
        return self

    def claim(
        self, source: Optional[str], content: str, kind: str, factuality: str, quote: str
    ) -> Builder:
        self.claims.append(
            Claim(
                id=f"c{len(self.claims) + 1}", source=source, content=content,
                type=ClaimType(kind), factuality=Factuality(factuality),
                evidence=[evidence(self.text, quote)],
            )
        )  # fmt: skip
        return self

    def build(self, minute: int) -> ArticleSummary:
        return ArticleSummary(
            title=self.title, text=self.text, summary=self.text.split("\n\n")[1][:120],
            actors=self.actors, arms_transfers=self.transfers, claims=self.claims,
            provenance=provenance(minute), **self.fields,  # type: ignore[arg-type]
        )  # fmt: skip


DELIVERY_QUOTE = "North Korea delivered 24 KN-23 ballistic missiles to Russia in January"
DENIAL_QUOTE = "The Kremlin denied that Russia had received any KN-23 missiles from North Korea"


def delivery() -> ArticleSummary:
    body = (
        f"{DELIVERY_QUOTE}, a United States official said on Monday. Russian forces have "
        "since fired the missiles at Kharkiv, the official said. Pyongyang is likely to send "
        "more artillery shells to Moscow this spring, the official added."
    )
    return (
        Builder(
            "North Korea Ships Missiles to Russia",
            body,
            published=date(2026, 2, 10),
            source="wire/a1.txt",
        )
        .actor("north-korea", "North Korea", "state", "PRK", "Pyongyang")
        .actor("russia", "Russia", "state", "RUS", "Moscow", "Russian")
        .actor("united-states", "United States", "state", "USA")
        .transfer(
            "north-korea",
            "russia",
            "KN-23 ballistic missiles",
            "missile",
            "used",
            DELIVERY_QUOTE,
            quantity=24,
            when=("in January", date(2026, 1, 1), date(2026, 1, 31)),
        )
        .transfer(
            "north-korea",
            "russia",
            "artillery shells",
            "ammunition",
            "pledged",
            "Pyongyang is likely to send more artillery shells to Moscow this spring",
            when=("this spring", date(2026, 3, 1), date(2026, 5, 31)),
        )
        .claim(
            "united-states",
            "North Korea delivered 24 KN-23 ballistic missiles to Russia.",
            "assertion",
            "certain",
            f"{DELIVERY_QUOTE}, a United States official said",
        )
        .claim(
            "united-states",
            "North Korea will send more artillery shells to Russia.",
            "forecast",
            "probable",
            "Pyongyang is likely to send more artillery shells to Moscow this spring",
        )
        .build(0)
    )


def denial() -> ArticleSummary:
    body = (
        f"{DENIAL_QUOTE}. Russia signed a contract for KN-23 missiles with the DPRK last "
        "year, according to leaked documents seen by the Baltic Monitor. Dmitry Peskov said "
        "the reports were provocations."
    )
    contract = "Russia signed a contract for KN-23 missiles with the DPRK last year"
    return (
        Builder(
            "Kremlin Denies Receiving Korean Missiles",
            body,
            published=date(2026, 2, 11),
            source="wire/a2.txt",
        )
        .actor("russian-federation", "Russian Federation", "state", "RUS", "Russia")
        .actor("dprk", "DPRK", "state", "PRK", "North Korea")
        .actor("kremlin", "Kremlin", "government_body", "RUS")
        .actor("dmitry-peskov", "Dmitry Peskov", "person", "RUS")
        .actor("baltic-monitor", "Baltic Monitor", "media", None)
        .transfer(
            "dprk",
            "russian-federation",
            "KN-23 missiles",
            "missile",
            "agreed",
            contract,
            when=("last year", date(2025, 1, 1), date(2025, 12, 31)),
        )
        .claim(
            "kremlin",
            "Russia has not received KN-23 missiles from North Korea.",
            "denial",
            "certainly_not",
            DENIAL_QUOTE,
        )
        .claim(
            "baltic-monitor",
            "Russia signed a contract for KN-23 missiles last year.",
            "assertion",
            "certain",
            contract,
        )
        .claim(
            "dmitry-peskov",
            "The reports of missile deliveries are provocations.",
            "assertion",
            "certain",
            "Dmitry Peskov said the reports were provocations",
        )
        .build(5)
    )


def pledge() -> ArticleSummary:
    body = (
        "Iran pledged 200 Shahed-136 drones to Russia, an Iranian defence ministry spokesman "
        "said. Ukraine's air force may face the drones within weeks, analysts at the Kyiv "
        "Defence Institute said. Tehran has not commented on the timing."
    )
    return (
        Builder("Iran Pledges Drones to Russia", body, source="wire/a3.txt")
        .actor("iran", "Iran", "state", "IRN", "Iranian", "Tehran")
        .actor("russia", "Russia", "state", "RUS")
        .actor("iranian-defence-ministry", "Iranian defence ministry", "government_body", "IRN")
        .actor("kyiv-defence-institute", "Kyiv Defence Institute", "ngo", "UKR")
        .transfer(
            "iran",
            "russia",
            "Shahed-136 drones",
            "missile",
            "pledged",
            "Iran pledged 200 Shahed-136 drones to Russia",
            quantity=200,
        )
        .claim(
            "iranian-defence-ministry",
            "Iran pledged 200 Shahed-136 drones to Russia.",
            "assertion",
            "certain",
            "Iran pledged 200 Shahed-136 drones to Russia",
        )
        .claim(
            "kyiv-defence-institute",
            "Ukraine's air force may face Shahed-136 drones soon.",
            "forecast",
            "possible",
            "Ukraine's air force may face the drones within weeks",
        )
        .claim(
            None,
            "Tehran has not commented on the timing of the drone deliveries.",
            "assertion",
            "unknown",
            "Tehran has not commented on the timing",
        )
        .build(9)
    )


def articles() -> list[ArticleSummary]:
    return [delivery(), denial(), pledge()]


# --------------------------------------------------------------------------- hostile input

PAYLOADS = (
    "<script>window.pwned=1</script>",
    '<img src=x onerror="window.pwned=2">',
    '<a href="javascript:window.pwned=3">proof</a>',
    "</script><script>window.pwned=4</script>",
    "javascript:window.pwned=5",
    '"><svg onload="window.pwned=6">',
)
HOSTILE_QUOTE = f"Evil Corp {PAYLOADS[1]} delivered 5 {PAYLOADS[0]} rockets to Ruritania"
HOSTILE_NAME = f"Evil Corp {PAYLOADS[1]}"
HOSTILE_ID = 'evil"><script>window.pwned=8</script>'
HOSTILE_WEAPON = f"{PAYLOADS[0]} rockets {PAYLOADS[5]}"
FORMULA_WEAPON = '=HYPERLINK("javascript:window.pwned=7")'


def hostile() -> ArticleSummary:
    body = (
        f"🚀 Breaking: {HOSTILE_QUOTE}, a {PAYLOADS[2]} spokesman said. "
        f"See {PAYLOADS[4]} for more. {PAYLOADS[3]} {PAYLOADS[5]} "
        "Ruritania denied receiving any rockets from Evil Corp."
    )
    return (
        Builder(f"Arms {PAYLOADS[0]} {PAYLOADS[1]}", body, source=PAYLOADS[4])
        .actor(HOSTILE_ID, HOSTILE_NAME, "company", None, "Evil Corp")
        .actor("ruritania", "Ruritania", "state", None)
        .transfer(
            HOSTILE_ID,
            "ruritania",
            HOSTILE_WEAPON,
            "missile",
            "delivered",
            HOSTILE_QUOTE,
            quantity=5,
            when=(PAYLOADS[0], date(2026, 1, 5), date(2026, 1, 5)),  # hostile date words
        )
        .transfer(
            HOSTILE_ID,
            "ruritania",
            FORMULA_WEAPON,
            "other",
            "offered",
            f"See {PAYLOADS[4]} for more",
        )
        .claim(
            HOSTILE_ID,
            f"{PAYLOADS[2]} {PAYLOADS[0]}",
            "assertion",
            "certain",
            f"a {PAYLOADS[2]} spokesman said",
        )
        .claim(
            "ruritania",
            "Ruritania has not received rockets from Evil Corp.",
            "denial",
            "certainly_not",
            "Ruritania denied receiving any rockets from Evil Corp",
        )
        .build(20)
    )
