"""Briefings: merging across articles, contradictions, fixed estimative wording, Markdown
(snapshot) and CSV. Records are built in code (tests/brief_articles.py); no model."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import replace

import pytest
from brief_articles import DELIVERY_QUOTE, DENIAL_QUOTE, Builder, articles, delivery, pledge
from syrupy.assertion import SnapshotAssertion

from summariser import Briefing, InputError, brief
from summariser.briefing.contradictions import affirms
from summariser.briefing.estimative import stance
from summariser.briefing.merging import Cite, MergedActor, SourcedClaim
from summariser.briefing.render.csv import COLUMNS
from summariser.briefing.transfers import furthest
from summariser.records import SCHEMA_VERSION, ClaimType, Factuality, Status


@pytest.fixture(scope="module")
def briefing() -> Briefing:
    return brief(articles(), title="DPRK–Russia, week 2")


def actor_named(b: Briefing, name: str) -> MergedActor:
    [found] = [a for a in b.actors if a.name == name]
    return found


# --------------------------------------------------------------------------- actors


def test_the_same_state_in_several_articles_is_one_actor(briefing: Briefing) -> None:
    russia = actor_named(briefing, "Russia")  # 'Russia' twice, 'Russian Federation' once
    assert russia.articles == (0, 1, 2)
    assert russia.country == "RUS"
    assert "Russian Federation" in russia.aliases and "Moscow" in russia.aliases
    north_korea = actor_named(briefing, "North Korea")  # 'DPRK' in the second article
    assert north_korea.articles == (0, 1)
    assert [c.label for c in north_korea.cites] == ["A1:north-korea", "A2:dprk"]
    assert {"DPRK", "Pyongyang"} <= set(north_korea.aliases)
    names = [a.name for a in briefing.actors]
    assert len(names) == len(set(names))
    assert "Kremlin" in names and "Russian Federation" not in names  # a body stays apart


def test_alias_overlap_alone_does_not_merge_and_names_do() -> None:
    first = (
        Builder("Talks in Washington", "The White House met United States envoys in Washington.")
        .actor("white-house", "White House", "government_body", "USA", "Washington")
        .build(1)
    )
    second = (
        Builder(
            "Envoys", "The United States sent envoys; Washington said so. The White House agreed."
        )
        .actor("united-states", "United States", "state", "USA", "Washington")
        .actor("white-house", "the White House", "government_body", None)
        .build(2)
    )
    b = brief([first, second], title="t")
    by_name = {a.name: a.articles for a in b.actors}
    assert by_name == {"White House": (0, 1), "United States": (1,)}


def test_two_actors_of_one_article_are_never_merged() -> None:
    first = (
        Builder("A", "Russia and the Russian Federation Navy met.")
        .actor("russia", "Russia", "state", "RUS")
        .actor("navy", "Russian Federation Navy", "military", "RUS", "Russia")
        .build(1)
    )
    second = Builder("B", "Russia spoke.").actor("russia", "Russia", "state", "RUS").build(2)
    b = brief([first, second], title="t")
    assert sorted(a.name for a in b.actors) == ["Russia", "Russian Federation Navy"]
    assert actor_named(b, "Russia").articles == (0, 1)
    assert actor_named(b, "Russian Federation Navy").articles == (0,)


def test_states_with_different_codes_stay_apart() -> None:
    first = Builder("A", "Congo spoke.").actor("congo", "Congo", "state", "COG").build(1)
    second = Builder("B", "Congo spoke.").actor("congo", "Congo", "state", "COD").build(2)
    b = brief([first, second], title="t")
    assert sorted((a.name, a.country) for a in b.actors) == [("Congo", "COD"), ("Congo", "COG")]
    assert len({a.id for a in b.actors}) == 2


# --------------------------------------------------------------------------- transfers


def test_the_same_transfer_is_one_row_at_the_furthest_stage(briefing: Briefing) -> None:
    first = briefing.transfers[0]
    assert first.id == "T1"
    assert (first.supplier and first.supplier.name, first.recipient and first.recipient.name) == (
        "North Korea",
        "Russia",
    )
    assert first.weapon == "KN-23 ballistic missiles"
    assert [c.label for c in first.cites] == ["A1:t1", "A2:t1"]
    assert [r.status for r in first.reports] == [Status.used, Status.agreed]
    assert first.status is Status.used
    assert first.quantities == ("24",) and first.count == 24
    assert [t.weapon for t in briefing.transfers] == [
        "KN-23 ballistic missiles",
        "artillery shells",
        "Shahed-136 drones",
    ]
    assert [t.articles for t in briefing.transfers] == [(0, 1), (0,), (2,)]


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([Status.agreed, Status.delivered], Status.delivered),
        ([Status.sought, Status.used, Status.offered], Status.used),
        ([Status.agreed, Status.cancelled], Status.cancelled),
        ([Status.delivered, Status.cancelled], Status.delivered),
        ([Status.unknown, Status.sought], Status.sought),
        ([Status.unknown], Status.unknown),
        ([], Status.unknown),
    ],
)
def test_furthest_stage(statuses: list[Status], expected: Status) -> None:
    assert furthest(statuses) is expected


def test_different_weapons_or_parties_stay_apart() -> None:
    a = (
        Builder("A", "Iran sent drones to Russia and Iran sent tanks to Russia.")
        .actor("iran", "Iran", "state", "IRN").actor("russia", "Russia", "state", "RUS")
        .transfer("iran", "russia", "drones", "aircraft", "delivered", "Iran sent drones to Russia")
        .build(1)
    )  # fmt: skip
    b = (
        Builder("B", "Iran sent tanks to Russia. Russia sent drones to Iran.")
        .actor("iran", "Iran", "state", "IRN").actor("russia", "Russia", "state", "RUS")
        .transfer("iran", "russia", "tanks", "armoured_vehicle", "delivered",
                  "Iran sent tanks to Russia")
        .transfer("russia", "iran", "drones", "aircraft", "offered", "Russia sent drones to Iran")
        .build(2)
    )  # fmt: skip
    merged = brief([a, b], title="t").transfers
    assert sorted((t.supplier.name, t.weapon, t.articles) for t in merged if t.supplier) == [
        ("Iran", "drones", (0,)),
        ("Iran", "tanks", (1,)),
        ("Russia", "drones", (1,)),
    ]


# --------------------------------------------------------------------------- contradictions


def test_a_reported_delivery_and_its_denial_are_flagged_with_both_sides(
    briefing: Briefing,
) -> None:
    [c] = briefing.contradictions
    assert c.transfer.id == "T1"
    assert [x.label for x in c.for_cites] == ["A1:t1", "A1:c1"]
    assert [x.label for x in c.against_cites] == ["A2:c1"]
    assert c.against_cites[0].quote == DENIAL_QUOTE
    assert c.across_articles
    assert briefing.disputed == {"T1"}
    [d] = briefing.disputes
    assert d.heading == "T1: KN-23 ballistic missiles from North Korea to Russia"
    assert [s.text for s in d.against] == [
        "Kremlin denied: “Russia has not received KN-23 missiles from North Korea.”"
    ]


def test_no_denial_no_contradiction() -> None:
    assert brief([delivery(), pledge()], title="t").contradictions == ()


def test_a_doubt_is_a_dispute_and_a_sentence_never_contradicts_itself() -> None:
    text = "We do not believe Iran has delivered missiles to Russia, the envoy said."
    doubt = (
        Builder("A", text)
        .actor("iran", "Iran", "state", "IRN").actor("russia", "Russia", "state", "RUS")
        .transfer("iran", "russia", "missiles", "missile", "delivered",
                  "Iran has delivered missiles to Russia")
        .claim(None, "Iran has not delivered missiles to Russia.", "assessment",
               "probably_not", "We do not believe Iran has delivered missiles to Russia")
        .build(1)
    )  # fmt: skip
    assert brief([doubt], title="t").contradictions == ()  # one sentence, read twice
    other = (
        Builder("B", "Iran delivered missiles to Russia in May.")
        .actor("iran", "Iran", "state", "IRN").actor("russia", "Russia", "state", "RUS")
        .transfer("iran", "russia", "missiles", "missile", "delivered",
                  "Iran delivered missiles to Russia")
        .build(2)
    )  # fmt: skip
    [c] = brief([doubt, other], title="t").contradictions
    assert [x.label for x in c.for_cites] == ["A2:t1"]
    assert [x.label for x in c.against_cites] == ["A1:c1"]


def test_a_negated_claim_affirms_nothing_and_an_unnamed_party_is_matched_by_overlap_only() -> None:
    text = (
        "Ruritania delivered rifles to Freedonia. Ruritania said there would be no more "
        "deliveries of rifles to Freedonia. Ruritania shipped rifles to an unnamed buyer. "
        "Freedonia denied that Ruritania delivered rifles to it."
    )
    summary = (
        Builder("Rifles", text)
        .actor("ruritania", "Ruritania", "state", "RUR")
        .actor("freedonia", "Freedonia", "state", "FRE")
        .transfer("ruritania", None, "rifles", "salw", "delivered",
                  "Ruritania shipped rifles to an unnamed buyer")
        .claim("ruritania", "There will be no more deliveries of rifles to Freedonia.",
               "promise", "certain",
               "Ruritania said there would be no more deliveries of rifles to Freedonia")
        .claim("freedonia", "Ruritania did not deliver rifles to Freedonia.", "denial",
               "certainly_not", "Freedonia denied that Ruritania delivered rifles to it")
        .build(1)
    )  # fmt: skip
    b = brief([summary], title="t")
    assert b.contradictions == ()  # the buyer is unnamed: Freedonia's denial is not about it
    promise, _ = (c for g in b.claims for c in g.claims)
    assert not affirms(promise)
    plain = replace(promise, content="Ruritania delivered rifles to Freedonia.", cite=Cite(0, "c9"))
    assert affirms(plain)


def test_a_party_denying_the_allegation_disputes_the_transfer_it_refers_to() -> None:
    def article(second_sentence: str) -> Briefing:
        summary = (
            Builder("Gunboats", f"Ruritania delivered four gunboats to Freedonia, the UN said. "
                                f"{second_sentence}")
            .actor("ruritania", "Ruritania", "state", "RUR", "Ruritanian")
            .actor("freedonia", "Freedonia", "state", "FRE")
            .actor("minister", "Ruritanian defence minister", "person", "RUR")
            .transfer("ruritania", "freedonia", "gunboats", "ship", "delivered",
                      "Ruritania delivered four gunboats to Freedonia")
            .claim("minister", second_sentence.rstrip("."), "denial", "certainly_not",
                   second_sentence.rstrip("."))
            .build(1)
        )  # fmt: skip
        return brief([summary], title="t")

    [c] = article("The Ruritanian defence minister denied the allegation.").contradictions
    assert ([x.label for x in c.for_cites], [x.label for x in c.against_cites]) == (
        ["A1:t1"],
        ["A1:c1"],
    )
    assert not c.across_articles
    assert (
        article("The Ruritanian defence minister denied targeting civilians.").contradictions == ()
    )


# --------------------------------------------------------------------------- wording


def claim(kind: ClaimType, factuality: Factuality) -> SourcedClaim:
    return SourcedClaim(Cite(0, "c1"), None, "X happened.", kind, factuality)


@pytest.mark.parametrize(
    ("factuality", "words"),
    [
        (Factuality.certain, "said"),
        (Factuality.probable, "assesses as likely"),
        (Factuality.possible, "says it may be so"),
        (Factuality.probably_not, "does not believe"),
        (Factuality.possibly_not, "doubts"),
        (Factuality.certainly_not, "denied"),
        (Factuality.unknown, "reported"),
    ],
)
def test_fixed_estimative_language(factuality: Factuality, words: str) -> None:
    assert stance(claim(ClaimType.assertion, factuality)) == words
    assert stance(claim(ClaimType.forecast, factuality)) == words


@pytest.mark.parametrize(
    ("factuality", "words"),
    [
        (Factuality.certain, "denied"),
        (Factuality.unknown, "denied"),
        (Factuality.certainly_not, "denied"),
        (Factuality.probable, "does not believe"),
        (Factuality.probably_not, "does not believe"),
        (Factuality.possible, "doubts"),
        (Factuality.possibly_not, "doubts"),
    ],
)
def test_a_denial_stays_a_denial(factuality: Factuality, words: str) -> None:
    assert stance(claim(ClaimType.denial, factuality)) == words


def test_hedged_claims_are_never_upgraded(briefing: Briefing) -> None:
    markdown = briefing.to_markdown()
    assert "United States assesses as likely: “North Korea will send more artillery" in markdown
    assert "Kyiv Defence Institute says it may be so: “Ukraine" in markdown
    assert "United States said: “North Korea will send" not in markdown
    assert "### Unattributed (1 claim)\n\n- reported: “Tehran has not commented" in markdown


# --------------------------------------------------------------------------- prose


CITATION = re.compile(r"\[A\d+:[\w-]+\]")


def test_bottom_line_is_two_to_four_cited_sentences(briefing: Briefing) -> None:
    lines = briefing.bottom_line
    assert 2 <= len(lines) <= 4
    assert all(s.cites for s in lines)
    assert lines[0].text == (
        "3 articles report 3 distinct arms transfers; the largest flow is from North Korea "
        "to Russia (2 transfers, furthest stage used)."
    )
    assert lines[1].text == (
        "According to A1, North Korea delivered KN-23 ballistic missiles to Russia, reported "
        "as used in combat. A2 reports it as agreed. Another source disputes it (see "
        "Contradictions)."
    )
    assert lines[2].text.startswith("Sources disagree about KN-23 ballistic missiles")
    assert lines[2].text.endswith("while Kremlin denied it.")
    assert {c.label for c in lines[2].cites} == {"A1:t1", "A1:c1", "A2:c1"}


def test_without_transfers_the_bottom_line_still_cites_records() -> None:
    summary = (
        Builder("Talks", "Ruritania said the talks went well.")
        .actor("ruritania", "Ruritania", "state", "RUR")
        .claim("ruritania", "The talks went well.", "assertion", "certain",
               "Ruritania said the talks went well")
        .build(1)
    )  # fmt: skip
    b = brief([summary], title="t")
    assert [(s.text, [c.label for c in s.cites]) for s in b.bottom_line] == [
        ("1 article reports no arms transfers, only 1 actor and 1 attributed claim.", ["A1:c1"]),
        ("Ruritania said: “The talks went well.”", ["A1:c1"]),
    ]
    assert "## Arms transfers\n\nNo arms transfers reported.\n" in b.to_markdown()
    assert b.to_csv() == ",".join(COLUMNS) + "\n"


def test_every_prose_line_in_markdown_cites_a_record(briefing: Briefing) -> None:
    markdown = briefing.to_markdown()
    section = markdown.split("## Bottom line\n\n")[1].split("\n\n## ")[0]
    assert len(CITATION.findall(section)) >= 4
    judgements = markdown.split("## Key judgements\n\n")[1].split("\n\n## ")[0]
    for line in judgements.splitlines():
        assert CITATION.search(line), line


def test_open_questions(briefing: Briefing) -> None:
    texts = [s.text for s in briefing.open_questions]
    assert texts[0] == (
        "How far has the transfer of KN-23 ballistic missiles from North Korea to Russia "
        "(T1) gone? A1 reports used; A2 reports agreed."
    )
    assert all(s.cites for s in briefing.open_questions)


def test_method_names_model_prompt_and_time(briefing: Briefing) -> None:
    assert briefing.method == (
        "A1, A2 and A3: model test-model (openai-compatible), prompt hash 0123456789abcdef, "
        f"schema {SCHEMA_VERSION}, summariser 0.1.0; made 2026-03-02 09:00 UTC to "
        "2026-03-02 09:09 UTC; "
        "9 LLM calls, 0 model outputs discarded.",
    )


def test_no_summaries_is_an_input_error() -> None:
    with pytest.raises(InputError, match="at least one"):
        brief([], title="empty")


# --------------------------------------------------------------------------- renderings


def test_markdown_snapshot(briefing: Briefing, snapshot: SnapshotAssertion) -> None:
    assert briefing.to_markdown() == snapshot


def test_markdown_sections_in_order(briefing: Briefing) -> None:
    headings = re.findall(r"^## (.+)$", briefing.to_markdown(), flags=re.M)
    assert headings == [
        "Bottom line", "Key judgements", "Arms transfers", "Actors", "Claims by source",
        "Contradictions and open questions", "Sources", "Method",
    ]  # fmt: skip


def test_csv_has_sipri_like_columns_and_one_row_per_transfer(briefing: Briefing) -> None:
    rows = list(csv.DictReader(io.StringIO(briefing.to_csv())))
    assert tuple(rows[0]) == COLUMNS
    assert len(rows) == len(briefing.transfers) == 3
    first = rows[0]
    assert {k: first[k] for k in COLUMNS if k != "evidence"} == {
        "id": "T1", "supplier": "North Korea", "supplier_country": "PRK",
        "recipient": "Russia", "recipient_country": "RUS", "designation": "KN-23",
        "description": "ballistic missiles", "category": "missile", "number_ordered": "",
        "number_delivered": "24", "quantity_text": "24", "order_date": "2025",
        "delivery_date": "", "date_text": "A1:t1: in January | A2:t1: last year",
        "status": "used", "disputed": "yes", "dates_disputed": "no",
        "published": "2026-02-10, 2026-02-11", "sources": "A1:t1; A2:t1",
    }  # fmt: skip
    assert first["evidence"].startswith(f"A1:t1: {DELIVERY_QUOTE} | A2:t1: Russia signed")
    last = rows[2]
    assert (last["designation"], last["description"], last["published"]) == (
        "Shahed-136",
        "drones",
        "",
    )
    assert (last["number_ordered"], last["number_delivered"]) == ("200", "")
