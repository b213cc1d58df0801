"""Behaviour of the story coach with the blank English pipeline (no model download)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from relational.coach import (
    EMOTIONS, FAMILIES, MAX_CHARS, Feedback, LexiconError, analyse, feedback_from_doc, load, load_lexicon,
)

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
DATA = ROOT / "data" / "coach"

VIVID_SELF = (
    "When I was nine, we lived in a damp flat above a chip shop in Walsall. Every Sunday my mum scrubbed the black "
    "mould off my bedroom wall. She rang the landlord eleven times and nobody came. One night I decided to write to "
    "the council myself. I was scared, but I posted the letter. Two weeks later an inspector knocked on our door. "
    "That is why I became a housing officer: I learned that one letter can make a difference."
)
FLAT_SELF = (
    "I have worked in housing for twelve years. Fairness is important to me. I believe everyone deserves respect. "
    "It is about dignity."
)
SPECIFIC_NOW = (
    "Right now, 38 people over 75 on the Millfield estate live on their own. If we wait, some of them will not see "
    "the spring. Imagine if every one of them had a neighbour who knocked once a week. Will you take one name from "
    "this sheet tonight and knock on their door before Friday?"
)
VAGUE_NOW = (
    "There are many challenges facing our community. We need to work together. "
    "I would encourage everyone to think about how they might get involved."
)


def flagged(text: str) -> list[tuple[str, str]]:
    """(text, family) of every value mention in a draft."""
    return [(v.text, v.family) for v in analyse(text).values]


def abstract_flags(text: str, kind: str | None = None) -> list[bool]:
    """Whether each sentence of a draft is an abstract claim, in order."""
    return [s.abstract_claim for s in analyse(text, kind).sentences]


def cues_of(text: str) -> list[str]:
    """The lexicon cue of each value mention in a draft, in order."""
    return [v.cue for v in analyse(text).values]


def assert_offsets(text: str, feedback: Feedback) -> None:
    """Every offset in the feedback indexes the exact input."""
    for v in feedback.values:
        assert text[v.start:v.end] == v.text
        assert 0 <= v.start < v.end <= len(text)
    for s in feedback.sentences:
        assert 0 <= s.start < s.end <= len(text)
        assert text[s.start:s.end].strip() == text[s.start:s.end]
    cta = feedback.call_to_action
    if cta.present:
        assert 0 <= cta.start < cta.end <= len(text)
    else:
        assert cta.start is None and cta.end is None


# --- the contract -------------------------------------------------------------------------------------------------


def test_importing_the_coach_loads_no_model_and_no_spacy():
    code = "import sys, relational.coach; print('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={"PYTHONPATH": str(SRC)})
    assert out.stdout.strip() == "False", out.stderr


def test_load_builds_the_pipeline_once():
    nlp = load()
    assert load() is nlp
    assert nlp.pipe_names == ["coach_tokens", "coach_sentencizer", "values_marker", "story_moves"]
    assert nlp.meta.get("name") == "pipeline"  # a blank pipeline, not a downloaded model


def test_factories_are_registered_through_entry_points():
    names = {ep.name: ep.value for ep in entry_points(group="spacy_factories")}
    for factory in ("values_marker", "story_moves", "coach_tokens", "coach_sentencizer"):
        assert names.get(factory, "").startswith("relational.coach.components:"), factory
        assert "." not in factory


def test_to_dict_has_the_contract_keys_and_is_json():
    feedback = analyse(VIVID_SELF, kind="self")
    data = json.loads(json.dumps(feedback.to_dict()))
    assert {"values", "sentences", "call_to_action", "prompts"} <= set(data)
    assert all(set(v) == {"start", "end", "text", "family", "cue"} for v in data["values"])
    assert all(set(s) >= {"start", "end", "moves", "abstract_claim", "emotions"} for s in data["sentences"])
    assert set(data["call_to_action"]) == {"present", "start", "end", "specific"}
    assert all(v["family"] in FAMILIES for v in data["values"])
    assert all(set(s["moves"]) <= {"challenge", "choice", "outcome"} for s in data["sentences"])
    assert all(set(s["emotions"]) <= set(EMOTIONS) for s in data["sentences"])
    assert 1 <= len(data["prompts"]) <= 5
    assert data["kind"] == "self" and data["word_count"] > 50


def test_feedback_is_frozen():
    feedback = analyse("I stood up for my neighbour.")
    with pytest.raises(AttributeError):
        feedback.prompts = ()  # type: ignore[misc]


@pytest.mark.parametrize("text", [VIVID_SELF, FLAT_SELF, SPECIFIC_NOW, VAGUE_NOW,
                                  "  Leading spaces.\n\nA second paragraph  \n", "No final stop"])
def test_offsets_index_the_exact_input(text):
    assert_offsets(text, analyse(text))


def test_spans_are_on_the_doc_with_the_family_as_label():
    doc = load()("She was kind, and she stood up for fairness.")
    assert [(s.text, s.label_) for s in doc.spans["values"]] == [
        ("kind", "benevolence"), ("stood up for", "universalism"), ("fairness", "universalism")]
    assert doc.spans["values"][1].id_ == "stand up for"


def test_feedback_from_a_doc_matches_analyse():
    text = VIVID_SELF
    assert feedback_from_doc(load()(text), "self").to_dict() == analyse(text, "self").to_dict()


def test_a_word_form_whose_rank_was_changed_elsewhere_is_still_read_right():
    text = "It mattered to me that she was treated with dignity."
    before = analyse(text, "self").to_dict()
    load().vocab["dignity"].rank = 0  # the rank is only a hint to the coach's table; the form is checked
    assert analyse(text, "self").to_dict() == before


def test_a_pipeline_with_word_vectors_keeps_its_ranks_and_gives_the_same_feedback():
    import numpy as np
    import spacy

    import relational.coach.components  # noqa: F401

    nlp = spacy.blank("en")
    nlp.vocab.set_vector("dignity", np.ones(3, dtype="f"))
    for name in ("coach_tokens", "coach_sentencizer", "values_marker", "story_moves"):
        nlp.add_pipe(name)
    rank = nlp.vocab["dignity"].rank
    for text, kind in ((VIVID_SELF, "self"), (SPECIFIC_NOW, "now")):
        assert feedback_from_doc(nlp(text), kind).to_dict() == analyse(text, kind).to_dict()
    assert nlp.vocab["dignity"].rank == rank


# --- values language and its traps ---------------------------------------------------------------------------------

VALUES = [
    ("She was kind to me when nobody else was.", "kind", "benevolence"),
    ("I cared for my dad for six years.", "cared for", "benevolence"),
    ("I care about the people on this estate.", "care about", "benevolence"),
    ("It was not fair that she waited nine months.", "fair", "universalism"),
    ("We had no power over the decision.", "power over", "power"),
    ("I finally felt free to choose my own path.", "free to choose", "self_direction"),
    ("I wanted my children to feel safe.", "feel safe", "security"),
    ("A safe place to live was all she asked for.", "safe place", "security"),
    ("She was safe at last.", "safe", "security"),
    ("I learned to trust my neighbours.", "trust", "benevolence"),
    ("Loyalty to each other kept us going.", "Loyalty", "benevolence"),
    ("We wanted justice for my brother.", "justice", "universalism"),
    ("I answered her honestly.", "honestly", "benevolence"),
    ("He treated every tenant with respect.", "respect", "universalism"),
    ("Standing up for her was the first brave thing I did.", "Standing up for", "universalism"),
    ("It mattered to me that she was treated with dignity.", "dignity", "universalism"),
    ("She fought for equality all her life.", "equality", "universalism"),
    ("My gran taught me to look after my neighbours.", "look after", "benevolence"),
    ("Our traditions kept the family together.", "traditions", "tradition"),
    ("I was proud of what we achieved.", "proud", "achievement"),
    ("I took a risk and applied.", "took a risk", "stimulation"),
    ("The children laughed, and for an hour it was pure joy.", "joy", "hedonism"),
    ("I always did as I was told.", "did as I was told", "conformity"),
    ("Fairer rules would have helped her.", "Fairer", "universalism"),
]


@pytest.mark.parametrize("text,phrase,family", VALUES)
def test_values_language_is_found_with_its_family(text, phrase, family):
    assert (phrase, family) in flagged(text)


def test_inflections_match_through_lemmas():
    for text, phrase in [("She stood up for us.", "stood up for"), ("They are caring people.", "caring"),
                         ("He protected the children.", "protected"), ("We believed in freedoms.", "freedoms")]:
        assert phrase in [t for t, _ in flagged(text)], text


@pytest.mark.parametrize("text,phrase,family", [
    ("The tenants wanted to decide for themselves.", "decide for themselves", "self_direction"),
    ("She kept her word, even when it cost her.", "kept her word", "benevolence"),
    ("He only wanted a roof over his head.", "a roof over his head", "security"),
    ("We did our best with what we had.", "did our best", "achievement"),
    ("They learned to speak their mind at the residents' meeting.", "speak their mind", "self_direction"),
])
def test_phrases_hold_for_every_person_not_only_the_narrator(text, phrase, family):
    assert (phrase, family) in flagged(text)


def test_other_persons_forms_leave_out_phrases_that_are_rarely_a_value():
    for text in ("She wasn't herself that week.", "The doctor read their history.", "He went his own way home."):
        assert flagged(text) == [], text


def test_a_cue_with_no_family_of_its_own_is_a_frame_beside_a_value_and_a_value_alone():
    """"It mattered to me" frames the value it introduces (only the value is marked, as the annotation guide says);
    with no value named in its sentence, it is the value itself."""
    assert flagged("It mattered to me that she was treated with dignity.") == [("dignity", "universalism")]
    assert flagged("Peace matters to me.") == [("Peace", "universalism")]
    assert flagged("It mattered to me.") == [("It mattered to me", "benevolence")]


TRAPS = [
    ("Her care package was cut, so she moved into a care home.", ["care"]),
    ("The social care budget fell again.", ["care"]),
    ("The adult care budget and the respite care team were both cut.", ["care"]),
    ("Value for money is the phrase I heard most.", ["value"]),
    ("We added value, they said.", ["value"]),
    ("Fair enough, I thought.", ["fair"]),
    ("To be fair, the manager tried.", ["fair"]),
    ("The summer fair raised three hundred pounds.", ["fair"]),
    ("There was a power cut on the estate.", ["power"]),
    ("Free parking ended in April, and the sessions are free of charge.", ["free"]),
    ("The safety inspection failed the lifts.", ["safety"]),
    ("Her trust fund paid for the flat.", ["trust"]),
    ("The loyalty card gave her points.", ["loyalty"]),
    ("We met at the café on Hope Street.", ["hope"]),
    ("The hearing was at the Justice Centre on Monday.", ["justice"]),
    ("To be honest, I did not want the job.", ["honest"]),
    ("Honestly, I was scared.", ["honestly"]),
    ("I honestly think the form is too long.", ["honestly"]),
    ("It was kind of hard to explain.", ["kind"]),
    ("What kind of council do we want to be?", ["kind"]),
    ("The Care Quality Commission inspected the ward.", ["care"]),
    ("My colleague Grace runs the food bank.", ["grace"]),
    ("We went to the Unity Housing Trust office.", ["unity", "trust"]),
    ("The Harmony Road centre reopened.", ["harmony"]),
    ("With respect to the budget, we overspent.", ["respect"]),
    ("We'd love to see you there.", ["love"]),
    ("The local authority refused.", ["authority"]),
    ("The family-friendly policy helped.", ["friendly"]),
    ("The freedom pass saves her money.", ["freedom"]),
    ("The equality impact assessment was late.", ["equality"]),
    ("Kind regards, Sam", ["kind"]),
    ("The NHS trust closed the ward.", ["trust"]),
]


@pytest.mark.parametrize("text,words", TRAPS)
def test_service_name_filler_and_hedge_senses_are_not_flagged(text, words):
    found = " ".join(t.lower() for t, _ in flagged(text))
    for word in words:
        assert word not in found, f"{word!r} flagged in {text!r}"


def test_hope_street_is_not_the_emotion_hope_but_hope_is():
    assert "hope" not in analyse("We met at the café on Hope Street.").sentences[0].emotions
    assert "hope" in analyse("I still hope we can change this.").sentences[0].emotions


ENACTED = [
    ("My neighbour kept her word every single time.", "kept her word", "benevolence"),
    ("The warden was always straight with us about the repairs.", "straight with us", "benevolence"),
    ("Our team helped three hundred families last winter.", "helped", "benevolence"),
    ("She stood by him when nobody else did.", "stood by him", "benevolence"),
    ("He stayed with her until the ambulance came.", "stayed with her", "benevolence"),
    ("The nurse treated her like a person, not a bed number.", "treated her like a person", "universalism"),
    ("Dad always said I would never amount to much.", "amount to much", "achievement"),
    ("My grandmother taught me the recipes and I will pass them on.", "pass them on", "tradition"),
    ("In the club everybody gives and takes.", "gives and takes", "benevolence"),
    ("We believe tenants should run their own lives.", "run their own lives", "self_direction"),
    ("The councillor spoke up for the travellers at the meeting.", "spoke up for", "universalism"),
]


@pytest.mark.parametrize("text,phrase,family", ENACTED)
def test_enacted_values_are_found(text, phrase, family):
    assert (phrase, family) in flagged(text)


def test_a_help_pattern_needs_a_person_within_a_few_words():
    assert [t for t, _ in flagged("The volunteers helped two elderly neighbours carry the shopping.")] == ["helped"]
    for text in ("I helped carry the chairs.", "I can't help thinking about her.", "Call the early help team."):
        assert "help" not in " ".join(t.lower() for t, _ in flagged(text)), text


def test_value_nouns_count_when_a_belief_or_claim_frames_them():
    assert ("health", "security") in flagged("We believe health should not depend on your postcode.")
    assert ("home", "security") in flagged("I know home should be somewhere you feel you belong.")
    assert ("family", "benevolence") in flagged("My aunt believed family is something you make.")
    for text in ("My health is not great.", "The care home should close.", "Her family should ring first."):
        found = [t.lower() for t, _ in flagged(text)]
        assert not {"health", "home", "family"} & set(found), text


def test_a_care_verb_and_its_value_object_are_one_span_with_the_objects_family():
    assert flagged("We spent the summer looking after the environment.") == [
        ("looking after the environment", "universalism")]
    assert ("care about nature", "universalism") in flagged("I care about nature more than I can say.")


def test_claim_frames_are_not_themselves_values_language():
    assert flagged("Everyone deserves a warm meal.") == []
    assert flagged("I knew she deserved more dignity than that.") == [("dignity", "universalism")]


MORE_TRAPS = [
    ("In all fairness, they tried.", ["fair"]),
    ("It is safe to say nobody read the report.", ["safe"]),
    ("He is a safe pair of hands.", ["safe"]),
    ("We buy care from three agencies, and the council commissions care for 400 people.", ["care"]),
    ("She was referred to independent domestic violence advisers.", ["independent"]),
    ("I kept going back to the office.", ["kept going"]),
    ("I love the variety of the job.", ["love"]),
    ("It was a kind of like a waiting room.", ["kind"]),
]


@pytest.mark.parametrize("text,words", MORE_TRAPS)
def test_generalised_service_filler_and_literal_senses_are_not_flagged(text, words):
    found = " ".join(t.lower() for t, _ in flagged(text))
    for word in words:
        assert word not in found, f"{word!r} flagged in {text!r}"


def test_being_honest_with_people_is_a_value_but_to_be_honest_is_a_filler():
    assert any("honest" in t for t, _ in flagged("I try to be honest with them, even when the answer is no."))
    assert not flagged("To be honest, I did not want the job.")


# Word-family broadening: invented sentences, one or more per family, then the context rules that guard them.
BROADENED = [
    ("They could speak freely for the first time.", "freely", "self_direction"),
    ("It was her own choice to move out.", "her own choice", "self_direction"),
    ("My gran had a real love of learning.", "love of learning", "self_direction"),
    ("I love the adrenaline of a match day.", "adrenaline", "stimulation"),
    ("The job is varied and I love it.", "varied", "stimulation"),
    ("There is never a dull moment on reception.", "never a dull moment", "stimulation"),
    ("We had a great time at the picnic.", "a great time", "hedonism"),
    ("Chips on a Friday were a treat.", "a treat", "hedonism"),
    ("She loved every minute of the trip.", "loved every minute", "hedonism"),
    ("I worked really hard to better myself.", "worked really hard", "achievement"),
    ("I worked really hard to better myself.", "better myself", "achievement"),
    ("My gran gave it her all every day.", "gave it her all", "achievement"),
    ("He controlled every penny she earned.", "controlled", "power"),
    ("Her partner was controlling and cruel.", "controlling", "power"),
    ("My dad ran the show at home.", "ran the show", "power"),
    ("Leave it to the people in authority, he said.", "in authority", "power"),
    ("They kept her out of harm's way.", "out of harm's way", "security"),
    ("We have to safeguard the children in that house.", "safeguard", "security"),
    ("My nan was so patient with me.", "so patient", "conformity"),
    ("Nobody wanted to be disrespectful to the elders.", "disrespectful", "conformity"),
    ("The ceremony for my grandfather mattered to all of us.", "ceremony", "tradition"),
    ("It was the custom in our village to leave the door open.", "custom", "tradition"),
    ("Their forebears kept these rites alive.", "forebears", "tradition"),
    ("She went out of her way for the family next door.", "went out of her way", "benevolence"),
    ("He owned up to the mistake straight away.", "owned up", "benevolence"),
    ("She was the kindest person on the ward.", "kindest", "benevolence"),
    ("He always watched out for the older tenants.", "watched out for", "benevolence"),
    ("We checked in on our neighbours every evening.", "checked in on", "benevolence"),
    ("We shared our lunch with the new lads.", "shared", "benevolence"),
    ("I wanted to help the pensioners on the estate.", "wanted to help", "benevolence"),
    ("She helped pensioners with their forms.", "helped", "benevolence"),
    ("It was a better deal for all.", "for all", "universalism"),
    ("She stood up to the landlord.", "stood up to", "universalism"),
    ("We should listen first and talk second.", "listen first", "universalism"),
    ("She made room for newcomers at every meeting.", "made room for", "universalism"),
    # "green space" itself is a place, not a value: none of the five in the annotated drafts was marked.
    ("We protect green spaces for future generations.", "future generations", "universalism"),
    ("Every child should be treated with dignity, not bigotry.", "bigotry", "universalism"),
]


@pytest.mark.parametrize("text,phrase,family", BROADENED)
def test_broadened_word_families_and_enacted_phrases_are_found(text, phrase, family):
    assert (phrase, family) in flagged(text)


BROADENED_TRAPS = [
    ("We had to make room for the new filing cabinets.", ["room"]),
    ("Thanks for all your help on Tuesday.", ["for all"]),
    ("We sorted it out once and for all.", ["for all"]),
    ("For all its faults, the estate was home.", ["for all"]),
    ("It was a free-for-all at the jumble sale.", ["for all", "free"]),
    ("To tell the truth, I was terrified.", ["truth"]),
    ("Truth be told, nobody knew.", ["truth"]),
    ("The patient was discharged on Friday.", ["patient"]),
    ("She was a patient at the Royal for six weeks.", ["patient"]),
    ("We were patients at the same surgery.", ["patient"]),
    ("The site has controlled parking and a controlled crossing.", ["controlled"]),
    ("The pain was well controlled.", ["controlled"]),
    ("The awards ceremony was on Thursday.", ["ceremony"]),
    ("We built a custom report in the system.", ["custom"]),
    ("The figures did not stand up to scrutiny.", ["stand up"]),
    ("Please accept my sincere apologies.", ["sincere"]),
    ("The new rota worked a treat.", ["treat"]),
    ("It was a great time to join the team.", ["great time"]),
    ("Watch out for scam emails.", ["watch"]),
    ("Keep an eye out for the delivery van.", ["eye"]),
    ("The figures varied from ward to ward.", ["varied"]),
    ("Information is freely available online.", ["freely"]),
    ("We share data with the police.", ["share"]),
]


@pytest.mark.parametrize("text,words", BROADENED_TRAPS)
def test_broadened_entries_keep_their_literal_and_service_senses_out(text, words):
    found = " ".join(t.lower() for t, _ in flagged(text))
    for word in words:
        assert word not in found, f"{word!r} flagged in {text!r}"


# Context rules added at stop 8, each with both senses: the rule must keep the value and drop the other sense.
BOTH_SENSES = [
    ("Everyone gets a fair hearing, whoever they are.", "fair", True),
    ("We ran a fair in the park.", "fair", False),
    ("We went to the fair.", "fair", False),
    ("She said the job is to be fair, not popular.", "fair", True),
    ("They backed it, to be fair.", "fair", False),
    ("She told me honestly what had happened.", "honestly", True),
    ("on a tablet honestly some of them had never used a mouse", "honestly", False),
    ("These songs were handed down from my gran.", "handed down", True),
    ("The magistrate handed down the longest sentence.", "handed down", False),
    ("They earned our trust.", "trust", True),
    ("The community took over the pool as a trust.", "trust", False),
    ("We care about the environment.", "environment", True),
    ("When the Environment Agency alert came, we moved.", "environment", False),
    ("People call us an honest broker between the family and the police.", "honest", False),
    ("I volunteered at the record office to fill the days.", "volunteer", False),
    ("Pat and Den treated me like family from the first cup of tea.", "like family", True),
    # Added at stop 8 from the retired second batch.
    ("Everyone deserves a welcome.", "welcome", True),
    ("Welcome to the meeting.", "welcome", False),
    ("We met them at the Welcome Centre.", "welcome", False),
    ("Trust is at the heart of our service.", "trust", True),
    ("We wrote to the Trust about it.", "trust", False),
    ("we met at unity street and talked", "unity", False),
    ("The bed manager, who controls every bed in the building, wanted her moved.", "controls", True),
    ("We ran pest control visits.", "control", False),
    ("She shared her song sheet.", "shared", True),
    ("I believe in rules because they end up protecting people.", "rules", True),
    ("Learning matters at every age.", "learning", True),
    ("Six flats are for adults with learning disabilities.", "learning", False),
    ("They built a protected lane on the ring road.", "protected", False),
    # Added at stop 8 from the retired third batch.
    ("I left care at eighteen with a bin bag of clothes.", "care", False),
    ("The horse fair every June fills the field.", "fair", False),
    ("Len showed me how a power drill worked.", "power", False),
    ("The duty supervisor makes the call.", "duty", False),
    ("On the village page they were fair game.", "fair", False),
    ("We asked the lads what they wanted, and we listened.", "listened", True),
    ("Derek now shares what he knows every second Saturday.", "shares what", True),
    ("Every child deserves the chance to learn.", "chance to learn", True),
    ("Everyone deserves a home.", "home", True),
    ("Whether someone lives in a care home or not, their voice should be heard.", "voice", True),
    ("We filled each hole properly the first time.", "properly", True),
    ("The boiler wasn't working properly.", "properly", False),
    ("Climate change is the biggest challenge of our time.", "climate", False),
    # Added at stop 8 from the retired fourth batch.
    ("I have always believed in fairness.", "fairness", True),
    ("In fairness, they tried.", "fair", False),
    ("I knew that if they didn't trust me, they would go elsewhere.", "trust", True),
    ("Trust me, it was awful.", "trust", False),
    ("We're patient when it would be quicker not to be.", "patient", True),
    ("The patient was moved to a side room.", "patient", False),
    ("We make tea, we listen, and we let people stay.", "listen", True),
    ("Thanks for listening.", "listen", False),
    ("Forty people, one urn, and an honesty box.", "honesty", False),
    ("The warm space at st faiths church hall is open.", "faith", False),
    ("The council told us the pride march cant go down the high street.", "pride", False),
    ("The credit union belongs to its members.", "belong", False),
    ("Young people told me I didn't judge.", "judge", True),
    ("this group gave me my voice back", "voice", True),
    ("So stand with us, in whatever way you can.", "stand with", False),
]


def test_the_guide_families_for_welcome_listening_patience_and_belonging():
    found = dict(flagged("We made them feel welcome, we listened to them, we were patient, and they belonged here."))
    assert found == {"feel welcome": "universalism", "listened to them": "universalism", "were patient": "conformity",
                     "belonged here": "security"}, found


@pytest.mark.parametrize("text,word,is_value", BOTH_SENSES)
def test_context_rules_keep_the_value_sense_and_drop_the_other(text, word, is_value):
    found = " ".join(t.lower() for t, _ in flagged(text))
    assert (word in found) is is_value, (text, flagged(text))


def test_a_sense_rule_can_be_cancelled_by_the_word_on_the_other_side(tmp_path):
    """sense_rules.csv's optional `unless` column: "the fair" is the event unless a content word follows."""
    from relational.coach.lexicon import load_sense_rules

    path = tmp_path / "sense_rules.csv"
    path.write_text("cue,side,words,sense,unless\nfair,prev,the|a,name,@WORD\nfair,next,@NUM,name\n", encoding="utf-8")
    rules = load_sense_rules(path)
    assert rules["fair"][0].unless == frozenset({"@WORD"}) and rules["fair"][1].unless == frozenset()
    path.write_text("cue,side,words,sense,unless\nfair,prev,the,name,@NOPE\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 2.*@NOPE"):
        load_sense_rules(path)


def test_list_items_after_a_line_break_are_sentences():
    text = ("why i do this: notes\n- 2014: my sister, 17, was hurt\n- we stay patient when people shout\n"
            "- everyone gets a fair hearing, whoever they are")
    sentences = [text[s.start:s.end] for s in analyse(text, "self").sentences]
    assert sentences == ["why i do this: notes", "- 2014: my sister, 17, was hurt",
                         "- we stay patient when people shout", "- everyone gets a fair hearing, whoever they are"]
    # A hard-wrapped line with no bullet stays in its sentence.
    wrapped = "We knocked on every door on the estate and\nasked people what they needed."
    assert len(analyse(wrapped).sentences) == 1


def test_an_imperative_phrase_after_a_subject_tells_rather_than_asks():
    told = analyse("Most people only meet us when they want a certificate. That is the job.", "now")
    assert not told.call_to_action.present
    asked = analyse("The library closes in May. Will you join us at the town hall on Monday at 6pm?", "now")
    assert asked.call_to_action.present and asked.call_to_action.specific
    generic = analyse("People will pay what they can. Most people are honest if you give them a way to be.", "now")
    assert not generic.call_to_action.present


def test_an_imperative_after_a_leading_condition_is_an_ask():
    fb = analyse("The allotments close in May. so if you've ever thought about it, come to the meeting", "now")
    assert fb.call_to_action.present


def test_an_ask_reported_in_the_past_is_not_an_ask_of_the_listeners():
    report = ("We found forty boxes of photographs. We put them up on a screen in the library and asked people to "
              "come and name faces. Eight hundred people came.")
    assert not analyse(report, "us").call_to_action.present
    live = "The pool closes in May. Please come to the meeting we planned for Tuesday at 7pm in the library."
    assert analyse(live, "now").call_to_action.present


def test_backing_a_motion_at_a_dated_meeting_is_a_specific_ask():
    fb = analyse("Children are hungry at school. I'm asking every councillor here to back the motion at the budget "
                 "meeting on 24 February.", "now")
    assert fb.call_to_action.present and fb.call_to_action.specific


def test_a_lesson_drawn_in_the_past_tense_is_a_claim():
    fb = analyse("What I learned is that most people are honest if you give them a way to be.", "self")
    assert [s.abstract_claim for s in fb.sentences] == [True]
    assert not fb.call_to_action.present


def test_the_narrator_doing_something_in_the_past_is_a_choice_but_a_state_is_not():
    def moves(text):
        return [s.moves for s in analyse(text, "us").sentences]
    assert "choice" in moves("We wrote one letter together, in three languages.")[0]
    assert "choice" in moves("So we also changed the letters so they are shorter.")[0]
    assert "choice" not in moves("We lived in a damp flat above a chip shop.")[0]
    assert "choice" not in moves("I was nine and I was scared.")[0]
    assert "choice" not in moves("The council sent us a letter in May.")[0]


def test_prompts_name_late_sentences_with_ordinals():
    story = " ".join(["I walked to the station in the rain."] * 13) + " Fairness is very important to me."
    prompts = analyse(story, "self").prompts
    assert any("Your 14th sentence names a value" in p for p in prompts), prompts
    assert not any("number 14" in p for p in prompts)


def test_rights_and_lessons_are_claims_and_the_present_moment_anchors():
    assert abstract_flags("Everyone has a right to a warm and safe home.", "now") == [True]
    assert abstract_flags("It taught us that when we stand up for each other, the council listens.", "now") == [True]
    assert abstract_flags("Right now all the power sits with them.", "now") == [False]


def test_we_must_act_now_is_a_vague_call_to_action():
    fb = analyse("The centre closes in March. Two hundred families use it. We must act now.", "now")
    assert fb.call_to_action.present and not fb.call_to_action.specific


def test_a_past_when_in_a_story_of_now_is_the_hope_it_can_change():
    text = ("The 33 bus stops in April. But when the villages packed the transport meeting two years ago, the "
            "councillors found the subsidy within a month. Come to County Hall on Tuesday at 6pm.")
    moves = [s.moves for s in analyse(text, "now").sentences]
    assert "outcome" in moves[1]
    assert "outcome" not in [m for s in analyse(text, "self").sentences[1:2] for m in s.moves]


def test_asks_after_a_condition_or_a_list_of_people_and_not_to_a_hyphenated_you():
    def ask(text, kind="now"):
        return analyse(text, kind).call_to_action.present
    assert ask("The baths close in May. If you swim there, or your kids do, come to the meeting on Thursday at 7pm.")
    assert ask("The bus is late every day. so parents, escorts, drivers, anyone, come to the civic centre on monday")
    assert not ask("We passed our inspection in June, and I'm proud of their thank-you card.", "self")
    assert not ask("The archive is ours. It's a heritage you can't put in a spreadsheet.", "us")
    assert not ask("It's a safe bet that every one of you walks past someone like him in a normal week.", "now")


def test_what_ought_to_be_is_a_claim_when_it_names_a_value():
    fb = analyse("People shouldn't lose their independence just because they are old.", "self")
    assert [s.abstract_claim for s in fb.sentences] == [True]
    assert [v.text for v in analyse("When a young person has one adult who sticks with them, it works.").values] == [
        "sticks with them"]


def test_the_verb_after_to_in_an_ask_is_its_action_and_can_we_asks():
    fb = analyse("Kai is still waiting. We need you, as heads and SENCOs, to release two teaching assistants each for "
                 "the training days on 12 and 13 May at the Teachers' Centre.", "now")
    assert fb.call_to_action.present and fb.call_to_action.specific
    assert analyse("The café loses its grant in June. so can we find a way to keep it going?", "now").call_to_action.present


def test_a_belief_frame_makes_a_claim_even_with_a_name_but_a_name_anchors_a_plain_sentence():
    assert abstract_flags("At Unity Savers we stand for independence and trust.", "us") == [True]
    assert abstract_flags("We believe every child deserves a good start to the day.", "us") == [True]
    assert abstract_flags("No child should have to learn on an empty stomach.", "us") == [True]
    assert abstract_flags("Mrs Okafor is kind to everyone on the landing.", "us") == [False]


# --- sentences: moves, abstract claims, emotions -------------------------------------------------------------------


def test_moves_in_a_vivid_story_of_self():
    moves = {m for s in analyse(VIVID_SELF, "self").sentences for m in s.moves}
    assert moves == {"challenge", "choice", "outcome"}


def test_abstract_claims_are_told_apart_from_lived_moments():
    feedback = analyse(FLAT_SELF + " " + VIVID_SELF)
    by_text = {FLAT_SELF[s.start:s.end] if s.end <= len(FLAT_SELF) else None: s.abstract_claim for s in feedback.sentences}
    assert by_text["Fairness is important to me."] is True
    assert by_text["I believe everyone deserves respect."] is True
    assert by_text["It is about dignity."] is True
    vivid = [s for s in feedback.sentences if s.start >= len(FLAT_SELF)]
    lived, lesson = vivid[:-1], vivid[-1]
    assert not any(s.abstract_claim for s in lived)
    # The story's last line draws its lesson in general terms, which the annotation guide counts as a claim
    # (data/annotated/README.md, "abstract_claim").
    assert feedback.text[lesson.start:lesson.end].endswith("one letter can make a difference.")
    assert lesson.abstract_claim


def test_the_tense_of_the_first_verb_decides_moment_or_claim():
    """A simple past before any present makes a moment; a present (or modal) first makes a standing claim, even
    with a participle later ("us included")."""
    claim = analyse("We are patient with people because grief makes everyone impatient, us included.")
    assert [s.abstract_claim for s in claim.sentences] == [True]
    moment = analyse("I knew she deserved more dignity than fifteen minutes could give her.")
    assert [s.abstract_claim for s in moment.sentences] == [False]


def test_belief_frames_and_present_tense_value_talk_are_claims():
    for text in ("Everyone should have a warm home.", "Our team works hard for the community.",
                 "We share common values of inclusion and respect."):
        assert analyse(text).sentences[0].abstract_claim, text
    for text in ("She was kind to me when nobody else was.", "On 3 May my mum said fairness mattered."):
        assert not analyse(text).sentences[0].abstract_claim, text


def test_emotions_from_the_five_pairs():
    cases = {
        "I was terrified of losing the flat.": "fear",
        "We are not alone any more.": "solidarity",
        "Nothing ever changes round here.": "inertia",
        "We cannot wait another winter.": "urgency",
        "I was furious when they closed it.": "anger",
        "Nobody cares about this estate.": "apathy",
        "I felt completely alone.": "isolation",
        "Who am I to tell the council what to do?": "self_doubt",
        "You can make a difference.": "self_worth",
        "Imagine what this street could be.": "hope",
    }
    for text, emotion in cases.items():
        assert emotion in analyse(text).sentences[0].emotions, text


def test_passive_and_generic_claims_are_abstract():
    for text in ("Every child in this city should be protected.", "Nobody is a client; everybody gives and takes."):
        assert analyse(text).sentences[0].abstract_claim, text
    # A generic "your" inside a belief is not an ask to the listener.
    text = "We believe health should not depend on your postcode, and that equal chances start with going to people."
    feedback = analyse(text, "us")
    assert feedback.sentences[0].abstract_claim and not feedback.call_to_action.present


def test_moves_in_a_story_of_now_follow_challenge_hope_choice():
    text = ("We cannot wait another winter: the lift is broken again. Imagine a block where every door is answered. "
            "Come to the residents' meeting on Thursday at 7pm.")
    moves = [s.moves for s in analyse(text, "now").sentences]
    assert "challenge" in moves[0] and "outcome" in moves[1] and "choice" in moves[2]


def test_a_blocking_emotion_marks_a_challenge():
    assert "challenge" in analyse("I felt completely alone in that office.").sentences[0].moves


# --- the call to action --------------------------------------------------------------------------------------------


def test_specific_call_to_action():
    feedback = analyse(SPECIFIC_NOW, "now")
    cta = feedback.call_to_action
    assert cta.present and cta.specific
    assert SPECIFIC_NOW[cta.start:cta.end].startswith("Will you take one name")


def test_vague_call_to_action_and_its_prompt():
    feedback = analyse(VAGUE_NOW, "now")
    assert feedback.call_to_action.present and not feedback.call_to_action.specific
    assert feedback.prompts[0] == "What exactly are you asking people to do, and by when?"


def test_imperative_ask_with_time_and_place_is_specific():
    cta = analyse("Come to the town hall on Thursday at 7pm and bring one neighbour.", "now").call_to_action
    assert cta.present and cta.specific


def test_an_ask_to_you_at_the_end():
    text = "The lift has been broken for a month. People are stuck. You can sign up for a stair rota at the door tonight."
    cta = analyse(text, "now").call_to_action
    assert cta.present and cta.specific and text[cta.start:cta.end].startswith("You can sign up")


SPECIFIC_PLEDGES = [
    "I will phone three residents by Friday.",
    "I'm going to visit the day centre on Tuesday.",
    "I’ll ring my neighbour tonight.",
    "I pledge to knock on ten doors on Park Road this weekend.",
    "I promise to call my councillor before the end of the month.",
    "We will sign up 20 tenants by the end of June.",
    "We're going to write to the MP this week.",
    "I will also personally mentor one new starter from September.",
]
VAGUE_PLEDGES = ["I will do more.", "I will help out.", "I am going to listen more.", "We will make a difference.",
                 "I will try to be kinder."]


@pytest.mark.parametrize("text", SPECIFIC_PLEDGES)
def test_a_first_person_pledge_with_a_time_place_or_number_is_a_specific_call_to_action(text):
    cta = analyse(text, kind="now").to_dict()["call_to_action"]
    assert cta["present"] and cta["specific"], text
    assert text[cta["start"]:cta["end"]].rstrip(".") == text.rstrip(".")


@pytest.mark.parametrize("text", VAGUE_PLEDGES)
def test_a_pledge_with_no_detail_to_act_on_is_a_vague_call_to_action(text):
    cta = analyse(text, kind="now").call_to_action
    assert cta.present and not cta.specific, text


def test_what_is_not_a_pledge():
    for text in ("If we wait, we will lose the library by March.", "We will never forget that winter.",
                 'She said, "I will ring you on Monday," and she never did.'):
        assert not analyse(text, kind="now").call_to_action.present, text
    # A commitment is a call to action only in a story of now: in a story of us it is part of the story.
    assert not analyse("Our grandparents did it, and we will pass it on every Sunday.", "us").call_to_action.present
    assert not analyse("From then on I will visit her every Friday.", "self").call_to_action.present


def test_an_ask_of_others_wins_over_a_pledge():
    text = "I will be at the library on Saturday at 10am with a clipboard. Will you knock on doors with me on Park Road?"
    cta = analyse(text, "now").call_to_action
    assert cta.present and text[cta.start:cta.end].startswith("Will you knock")


def test_no_ask_in_a_story_of_self_and_no_ask_in_dialogue():
    assert not analyse(VIVID_SELF, "self").call_to_action.present
    assert not analyse('She looked at me and said, "Will you help me?" I nodded.').call_to_action.present
    assert not analyse("Can you imagine living like that?").call_to_action.present


# --- prompts -------------------------------------------------------------------------------------------------------


def test_prompts_for_a_flat_story_of_self():
    prompts = analyse(FLAT_SELF, "self").prompts
    assert len(prompts) <= 5
    assert prompts[0] == "What did you decide to do at that moment, and why?"
    assert any("name a value" in p and "moment you learned it" in p for p in prompts)


def test_a_single_abstract_claim_gets_the_named_prompt():
    prompts = analyse("When I was twelve my dad lost his job. Fairness is important to me.", "self").prompts
    assert "Your second sentence names a value. Can you tell us the moment you learned it?" in prompts


def test_kind_specific_voice():
    assert any('"I"' in p for p in analyse("Everyone deserves a home. People should be kind.", "self").prompts)
    assert any('"we"' in p for p in analyse("I stood up for my neighbour when the lift broke.", "us").prompts)
    now = analyse("The library is a good place. It has books.", "now").prompts
    assert now[0] == "What are you asking people to do? End with a clear ask."
    assert any("act now" in p for p in now) and any("hope" in p for p in now)


def test_prompts_are_at_most_five_and_strings():
    for text in (FLAT_SELF, VIVID_SELF, VAGUE_NOW, SPECIFIC_NOW, "x"):
        for kind in (None, "self", "us", "now"):
            prompts = analyse(text, kind).prompts
            assert 1 <= len(prompts) <= 5 and all(isinstance(p, str) and p for p in prompts)


def test_kind_is_checked():
    assert analyse("I care.", "SELF ").kind == "self"
    with pytest.raises(ValueError, match="kind must be one of self, us, now"):
        analyse("I care.", "story")


# --- bad input -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   ", "\n\t \n", "\u00a0\u2003"])
def test_empty_or_whitespace_gives_empty_feedback_with_one_prompt(text):
    feedback = analyse(text)
    assert feedback.values == () and feedback.sentences == () and not feedback.call_to_action.present
    assert len(feedback.prompts) == 1 and "Start" in feedback.prompts[0]
    assert feedback.to_dict()["call_to_action"] == {"present": False, "start": None, "end": None, "specific": False}


def test_a_two_megabyte_paste_is_refused_quickly_with_a_clear_notice():
    text = ("I stood up for my neighbour when the lift broke. " * 45_000)[: 2 * 1024 * 1024]
    start = time.perf_counter()
    feedback = analyse(text)
    assert time.perf_counter() - start < 2
    assert [n.code for n in feedback.notices] == ["too_long"]
    assert f"{MAX_CHARS:,}" in feedback.notices[0].message
    assert feedback.values == () and len(feedback.prompts) == 1


def test_a_long_draft_under_the_limit_is_analysed():
    text = (VIVID_SELF + "\n\n") * 150  # about 13,000 words
    feedback = analyse(text)
    assert feedback.word_count > 10_000 and len(feedback.sentences) == 7 * 150
    assert_offsets(text, feedback)


def test_nul_and_control_characters():
    text = "I stood\x00 up for\x07 my neighbour.\x1b[31m She was kind.\r\nWe won.\x0c"
    feedback = analyse(text)
    assert_offsets(text, feedback)
    assert "kind" in [v.text for v in feedback.values]


def test_emoji():
    text = "I was so proud 😊🎉 of my team. We stood up for fairness 💪🏽!"
    feedback = analyse(text)
    assert_offsets(text, feedback)
    assert {"proud", "stood up for", "fairness"} <= {v.text for v in feedback.values}
    assert analyse("😊🎉💪🏽").prompts == analyse("").prompts


def test_right_to_left_text():
    arabic = "وقفت إلى جانب جاري عندما تعطل المصعد. كانت لطيفة معي دائما."
    feedback = analyse(arabic)
    assert [n.code for n in feedback.notices] == ["not_english"]
    mixed = "My neighbour Mrs Haddad (السيدة حداد) was always kind to me."
    feedback = analyse(mixed)
    assert not feedback.notices and "kind" in [v.text for v in feedback.values]
    assert_offsets(mixed, feedback)


@pytest.mark.parametrize("text", [
    "Je me suis battue pour la justice et la dignité de mes voisins, parce que c'était important pour moi.",
    "Ich habe mich für meine Nachbarn eingesetzt, weil Gerechtigkeit mir wichtig ist.",
    "我为我的邻居挺身而出，因为公平对我很重要。",
])
def test_mostly_not_english_says_so_instead_of_guessing(text):
    feedback = analyse(text)
    assert [n.code for n in feedback.notices] == ["not_english"]
    assert feedback.values == () and feedback.sentences == ()
    assert "not English" in feedback.prompts[0]


def test_english_with_a_few_foreign_words_is_analysed():
    feedback = analyse("My gran always said 'la dignité avant tout', and she stood up for fairness every day.")
    assert not feedback.notices and feedback.values


def test_html_in_a_draft_is_kept_as_text():
    text = "<script>alert('x')</script> I stood up for <b>fairness</b>."
    feedback = analyse(text)
    assert_offsets(text, feedback)
    assert "fairness" in [v.text for v in feedback.values]


def test_lone_surrogates_do_not_crash():
    text = "I was kind \ud800 to her."
    feedback = analyse(text)
    assert_offsets(text, feedback)


def test_not_text_is_a_clear_type_error():
    with pytest.raises(TypeError, match="must be text"):
        analyse(b"bytes")  # type: ignore[arg-type]


# --- data files, validation and local terms ------------------------------------------------------------------------


def test_the_lexicon_is_big_enough_across_all_ten_families():
    lexicon = load_lexicon()
    counts = lexicon.family_counts()
    assert sum(counts.values()) >= 600
    assert all(counts[f] >= 40 for f in FAMILIES), counts
    assert any(" " in e.term for e in lexicon.values)


def copy_data(tmp_path: Path) -> Path:
    folder = tmp_path / "coach"
    folder.mkdir()
    for path in DATA.glob("*.csv"):
        (folder / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "local_terms.csv").unlink(missing_ok=True)
    return folder


@pytest.mark.parametrize("file,line,error", [
    ("values.csv", "niceness,niceness,lemma", "unknown family 'niceness'"),
    ("values.csv", "fairness,universalism,lemma", "already listed on line"),
    ("values.csv", "gentle soul,benevolence,fuzzy", "match must be 'lemma' or 'lower'"),
    ("traps.csv", "care plan,servise,lower", "unknown sense 'servise'"),
    ("cues.csv", "we will win,emotion,joy,lemma", "unknown label 'joy'"),
    ("sense_rules.csv", "kind,after,of,hedge", "side must be 'prev' or 'next'"),
    ("heads.csv", "fund pot,service,", "a head is one word"),
    ("heads.csv", "yard,service,@NOSUCHCLASS", "unknown word class '@NOSUCHCLASS'"),
    ("values.csv", "lead @NOSUCHCLASS own life,self_direction,lemma", "unknown word class '@nosuchclass'"),
    ("values.csv", "stand on my own two feet,self_direction,lemma", "already listed on line"),
    ("values.csv", "too,many,cells,here", "cells but the header has"),
])
def test_data_errors_name_the_file_and_the_line(tmp_path, file, line, error):
    folder = copy_data(tmp_path)
    path = folder / file
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.append(line)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(LexiconError) as info:
        load_lexicon(folder)
    message = str(info.value)
    assert str(path) in message and f"line {len(lines)}" in message and error in message


def test_a_word_class_in_a_value_term_stands_for_each_of_its_words():
    """ "run @POSS own life" in values.csv is "run my own life", "run his own life" and the rest, one entry each."""
    terms = {v.term for v in load_lexicon().values}
    assert {f"run {p} own life" for p in ("my", "your", "his", "her", "our", "their")} <= terms
    assert not any("@" in t for t in terms)
    assert ("runs his own life", "self_direction") in flagged("Since the move he runs his own life.")
    # A class was used only where every person's form is a value: "her own life" alone ("took her own life") is not.
    assert flagged("She took her own life in 2019.") == []


def test_missing_data_file_is_named(tmp_path):
    folder = copy_data(tmp_path)
    (folder / "cues.csv").unlink()
    with pytest.raises(LexiconError, match="cues.csv"):
        load_lexicon(folder)


def test_local_terms_add_and_block_without_code(tmp_path):
    local = tmp_path / "local_terms.csv"
    local.write_text("term,family,match\nour patch,benevolence,lower\nFairness Hub,not_value,lower\n", encoding="utf-8")
    nlp = load(overrides=str(local))
    doc = nlp("I am loyal to our patch. We met at Fairness Hub.")
    assert [(s.text, s.label_) for s in doc.spans["values"]] == [("loyal", "benevolence"), ("our patch", "benevolence")]


def test_overrides_from_the_environment(tmp_path, monkeypatch):
    local = tmp_path / "mine.csv"
    local.write_text("term,family,match\nbrew together,benevolence,lemma\n", encoding="utf-8")
    monkeypatch.setenv("RELATIONAL_COACH_OVERRIDES", str(local))
    assert any(e.term == "brew together" for e in load_lexicon().values)
    monkeypatch.setenv("RELATIONAL_COACH_OVERRIDES", str(tmp_path / "missing.csv"))
    with pytest.raises(LexiconError, match="missing.csv"):
        load_lexicon()


def test_a_frame_after_an_opening_simple_past_is_reported_and_the_sentence_tells_a_moment():
    """'told her we should...' reports what was said then; a frame that opens the sentence, or follows a participle
    rather than a finite verb, still makes a claim."""
    assert abstract_flags("I went to the manager and told her we should take responsibility.") == [False]
    assert abstract_flags(
        "We voted to keep every house, because nobody who belonged here should lose their home.") == [False]
    assert abstract_flags("Every tenant should be treated with respect.") == [True]
    assert abstract_flags("Small acts of kindness, repeated, are what this job should be about.") == [True]


def test_a_belief_frame_told_in_the_past_or_negated_claims_no_belief():
    """'everyone had given up on' narrates and 'doesn't have to be' denies a necessity; a present perfect ('we have
    always believed', also typed 'ive') is still a standing belief."""
    assert abstract_flags("It was the kind of estate everyone had given up on.") == [False]
    assert abstract_flags("This doesn't have to be the end of the library.") == [False]
    assert abstract_flags("We have always believed in fairness.") == [True]
    assert abstract_flags("ive always believed in fairness.") == [True]


def test_asking_anyone_is_an_ask_but_asking_about_the_past_is_not():
    assert analyse("Can anyone lend us a van on Saturday?", "now").call_to_action.present
    assert analyse("Could you have a word with your neighbour before Friday?", "now").call_to_action.present
    assert not analyse("Could anyone have stopped it? Nobody knew.", "now").call_to_action.present
    assert not analyse("Would you have known? I did not.", "now").call_to_action.present


def test_words_the_guide_never_counts_are_not_values():
    """'for everyone' (cooking for everyone), 'a luxury' and 'every family should...' (the family as the subject of a
    generic claim) are not values language; 'Family matters' names the value."""
    assert cues_of("She cooked for everyone.") == []
    assert cues_of("A pool is not a luxury.") == []
    assert "family" not in cues_of("Every family should feel safe at home.")
    assert cues_of("Family matters.") == ["family"]


def test_a_feeling_about_something_present_is_not_a_value_claim_unless_framed():
    """Pride, pleasure and excitement about something at hand say how the speaker feels; framed as what everyone
    should have, or beside another value, they make a claim."""
    assert abstract_flags("I'm proud of the new roof on the hall.") == [False]
    assert abstract_flags("Mostly, though, we just enjoy it.") == [False]
    assert abstract_flags("Every child should have some fun in the summer.") == [True]
    assert abstract_flags("Fun matters.") == [True]
    assert abstract_flags("We are proud of our honesty.") == [True]


def test_a_sentence_that_opens_with_a_name_tells_of_a_person():
    """A capitalised word that is not an English word, opening a sentence, is a name: a lived detail."""
    assert abstract_flags("Sheila looks after her husband every day.") == [False]
    assert abstract_flags("Kindness is everything.") == [True]


def test_a_present_belief_is_a_claim_whatever_details_it_names():
    """'Nobody should have to wait 12 weeks' claims what ought to be, though it names a number; a belief reported in
    a past moment ('On 3 May we asked...') stays a moment."""
    assert abstract_flags("Nobody should have to wait 12 weeks for a ramp.") == [True]
    assert abstract_flags("On 3 May we asked every leader what should matter most.") == [False]


def test_a_generic_subject_with_a_modal_of_ought_is_a_belief_at_any_distance():
    assert abstract_flags("Every child in this town should leave school able to swim.") == [True]
    assert abstract_flags("And nobody on this estate deserves a cold flat.") == [True]
    assert abstract_flags("Every child in this town went swimming on Friday.") == [False]
    assert abstract_flags("No, we should wait.") == [False]


def test_nobody_cares_is_apathy_not_care_and_the_honest_truth_is_a_filler():
    nobody = analyse("Nobody cares how fast you are.")
    assert [v.cue for v in nobody.values] == [] and "apathy" in nobody.sentences[0].emotions
    people = analyse("People who care about the park came.")
    assert [v.cue for v in people.values] == ["care about"] and "apathy" not in people.sentences[0].emotions
    assert analyse("That's the honest truth.").values == ()
    assert [v.cue for v in analyse("She is always honest.").values] == ["honest"]


def test_an_imperative_after_a_leading_time_clause_is_an_ask_unless_the_clause_is_past():
    def asks(text):
        return analyse(text, "now").call_to_action.present
    assert asks("Before the meeting ends tonight, sign the petition at the back.")
    assert asks("When the form arrives, report the broken lift to the housing office.")
    assert not asks("When the lift broke, call centres stopped answering.")
    assert not asks("When I got home that night, write-ups were waiting.")


@pytest.mark.parametrize("text, cues", [
    ("The duty pharmacist spotted the mix-up.", []),
    ("I got the spare safety gloves out.", []),
    ("He does the safety check on every kettle.", []),
    ("Visitors are kindly asked to keep to their slot.", []),
    ("I have been a welfare rights adviser for nine years.", []),
    ("She kindly gave me her seat on the bus.", ["kindly"]),
    ("I check on her every morning.", ["check on"]),
    ("Safety matters more than speed.", ["safety"]),
])
def test_service_and_notice_senses_of_duty_safety_kindly_and_check(text, cues):
    assert [v.cue for v in analyse(text).values] == cues


def test_an_imperative_before_a_quotation_asks_but_a_quoted_one_is_reported():
    text = 'We need speed checks. Sign the pledge sheet by the door tonight: "I will do one hour on Victory Road."'
    cta = analyse(text, "now").call_to_action
    assert cta.present and cta.specific and text[cta.start:].startswith("Sign the pledge sheet")
    assert not analyse('Mum rang. "Come to the meeting on Friday," she told me.', "now").call_to_action.present


def test_be_is_not_the_action_of_an_ask_to_you_but_let_your_voice_be_heard_asks():
    lesson = "Lesson two: if you're honest with folk, they'll be honest with you."
    assert not analyse(lesson, "self").call_to_action.present
    assert analyse("The consultation closes soon. Let your voice be heard.", "now").call_to_action.present


@pytest.mark.parametrize("text, family", [
    ("We work hard and respect the past.", "tradition"),
    ("I learned to respect their customs.", "tradition"),
    ("Respect for others matters.", "universalism"),
    ("I respect her.", "universalism"),
])
def test_respect_takes_the_family_of_what_is_respected(text, family):
    assert [v.family for v in analyse(text).values if v.cue.startswith("respect")] == [family]


def test_a_lesson_after_a_past_moment_frames_a_claim_and_a_beliefs_prompt_does_not_say_it_names_a_value():
    lesson = ("I grew up in a family where we always looked after each other, and that taught me the importance of "
              "caring for others.")
    assert [s.abstract_claim for s in analyse(lesson, "self").sentences] == [True]
    belief = analyse("It is important that we all work together. I rang the housing office on 3 May.", "self")
    assert [s.abstract_claim for s in belief.sentences] == [True, False] and belief.values == ()
    assert any(p.startswith("Your first sentence states a belief.") for p in belief.prompts), belief.prompts
    assert not any("names a value" in p for p in belief.prompts)
    valued = analyse("Fairness is very important to me. I rang the housing office on 3 May.", "self")
    assert any(p.startswith("Your first sentence names a value.") for p in valued.prompts), valued.prompts


def test_lessons_guesses_and_reported_frames():
    """A lesson in a 'that' clause is a claim even beside a name; 'what must be' guesses; a frame after '[someone]
    said' reports; 'I still believe' is a belief; 'I'll be honest:' is a filler."""
    assert abstract_flags("Maureen taught me that nobody should feel ashamed of trusting people.") == [True]
    assert abstract_flags(
        "I learned from Mr Heaney that you cannot keep someone safe by taking away their choices.") == [True]
    assert abstract_flags("Danny is pouring what must be his fortieth cup of tea.") == [False]
    assert abstract_flags("Afterwards the manager said we should treat every tenant with respect.") == [False]
    assert abstract_flags("I still believe understanding is worth the effort.") == [True]
    assert analyse("I'll be honest: part of me wanted the easy weekend.").values == ()


@pytest.mark.parametrize("text, cues", [
    ("It wasn't fair on him.", ["fair"]),
    ("The fair on Saturday was busy.", []),
    ("The old hands passed on what they knew.", ["pass on what"]),
    ("It is ours to pass on.", ["ours to pass on"]),
    ("She passed on in May.", []),
    ("Please pass on my number to your manager.", []),
])
def test_fair_on_someone_and_passing_a_custom_on(text, cues):
    assert [v.cue for v in analyse(text).values] == cues


def test_that_is_why_i_do_this_job_claims_nothing_alone_and_a_firm_and_sons_is_a_name():
    assert abstract_flags("That is why I do this job.") == [False]
    assert abstract_flags("For me, this work is about justice, and that is why I do it.") == [True]
    assert analyse("A local firm, Faithful & Sons, has offered to repaint the railings.").values == ()
    assert [v.cue for v in analyse("She was faithful to the end.").values] == ["faithful"]


@pytest.mark.parametrize("text, present, specific", [
    ("We'd love more of you to get involved.", True, False),
    ("Can anyone spare Saturday morning at the Crow Lane gate?", True, True),
    ("Please stand with us and don't let them take Ward 7.", True, False),
    ("Will 20 of you each take one trip a fortnight?", True, True),
])
def test_asks_we_would_love_spare_and_a_number_in_a_name(text, present, specific):
    cta = analyse(text, "now").call_to_action
    assert (cta.present, cta.specific) == (present, specific)


def test_who_holds_power_is_a_description_and_what_power_people_should_have_is_a_claim():
    assert abstract_flags("The council have all the power and we have a shed.") == [False]
    assert abstract_flags("Residents should have real power over what happens next.") == [True]
    assert abstract_flags("We do want influence over how the savings are made.") == [True]


def test_love_between_people_is_not_marked_but_a_love_of_learning_is():
    assert cues_of("I told him his dad loved him very much.") == []
    assert cues_of("They want to be near the people who love them.") == []
    assert [(v.text, v.family) for v in analyse("My gran had a real love of learning.").values] == [
        ("love of learning", "self_direction")]


@pytest.mark.parametrize("text, values", [
    ("We were raised to respect our elders.", [("respect our elders", "conformity")]),
    ("Some of the elders thought it was a bad idea.", []),
    ("Ringing is a tradition you can only pass on by hand.", [("tradition", "tradition"), ("pass on", "tradition")]),
    ("We mean to hand it on in better shape.", [("hand it on", "tradition")]),
    ("Only the strongest shops survive.", []),
    ("If we're honest, half of us come for the sandwiches.", []),
    ("If you're honest with folk, it pays.", [("honest with", "benevolence")]),
])
def test_elders_respected_passing_on_and_if_we_are_honest(text, values):
    assert [(v.text, v.family) for v in analyse(text).values] == values


@pytest.mark.parametrize("text, cues", [
    ("Kindness costs nothing.", ["kindness"]),
    ("Respect costs less than an eviction.", ["respect"]),
    ("Social care costs are rising.", []),
])
def test_a_head_noun_used_as_a_verb_is_not_a_service_compound(text, cues):
    assert cues_of(text) == cues
    assert abstract_flags(text) == [bool(cues)]


def test_you_at_the_end_of_a_story_of_us_reflects_and_new_forms_of_ask():
    text = ("We dig out the line every winter. It is the sense of belonging you get when you are handed a shovel "
            "and told you're on the rota.")
    assert not analyse(text, "us").call_to_action.present
    assert analyse("Our surgery is closing. You can sign up at the door tonight.", "now").call_to_action.present
    for ask in ("Back us however you can.", "It is time for all of us to play our part."):
        cta = analyse(ask, "now").call_to_action
        assert (cta.present, cta.specific) == (True, False)


def test_a_club_named_after_a_value_and_a_value_that_is_felt():
    assert cues_of("I run the sessions at Pride ABC on a Friday.") == []
    assert cues_of("We take pride in our work.") == ["pride"]
    assert abstract_flags("When I'm on that footplate I feel I belong to something older than me.") == [False]
    assert abstract_flags("We all feel a duty to the street we live on.") == [True]


def test_a_long_sentence_with_no_belief_frame_describes_and_a_long_belief_still_claims():
    long_description = ("I know which passengers need a minute to sit down before I pull away, and which ones want "
                        "to chat about the weather, and I try to be patient with every one of them.")
    assert abstract_flags(long_description) == [False]
    assert abstract_flags("I try to be patient with every one of them.") == [True]
    long_belief = ("I believe that everyone who has worked all their life in this town deserves to grow old with "
                   "dignity, near the people and the places they know, whatever their savings.")
    assert abstract_flags(long_belief) == [True]


def test_a_multi_word_action_at_the_head_of_a_sentence_asks_even_after_pls():
    text = "We need your help. so pls back us on this any way you can. good news is 12 kids came. they love it."
    cta = analyse(text, "now").call_to_action
    assert cta.present and text[cta.start:cta.end] == "so pls back us on this any way you can."
    assert not analyse("I went back home after that. It was late.", "now").call_to_action.present


# Forms of ask learned in stops 10 and 11 from the retired unseen batches, each with a look-alike that is not an ask.
@pytest.mark.parametrize("text, present, specific", [
    ("Last term the head let us put out the leftover toast at break.", False, False),
    ("So let's meet at the hall on Friday at 7.", True, True),
    ("We must all stand together and support the fund.", True, False),
    ("When the budget comes to this panel on Thursday 6 February, amend line 47 from switch-off to dimming.", True, True),
    ("Will two of you come with me to meet the business manager on Wednesday 5 March at four?", True, True),
    ("Could any of you spare an hour?", True, False),
    ("The council restored the service in May.", False, False),
    ("Sixty slots are open on Sunday 9 June, 1pm to 5pm, and I would like every family here to fill one.", True, True),
    ("Everyone needs to play their part.", True, False),
    ("if any of you can do anything at all about the petrol money, id be so greatful.", True, False),
    ("I want every kid to find the thing that makes moving feel like an adventure.", False, False),
    ("So please, anyone who can, back us on this one way or another.", True, False),
    ("Please give two hours on Saturday.", True, True),
    ("they fixed block b and they havent forgot it so please back us on this, whatever way you can", True, False),
    ("Please think about whether you could give a night. Last winter twelve men slept in our hall.", True, False),
    ("If you're not sure you're on the register, go to the council website tonight.", True, True),
    ("Will the three cabinet members here tonight put it back into the budget paper for 3 December?", True, True),
    ("Could the parents among you give us a hand?", True, False),
    ("Will the council listen to us?", False, False),
    ("Would any of us want our parents moved to balance a spreadsheet?", False, False),
    ("Would the governors here sign the letter", False, False),
    ("Everyone in this room needs to get behind Highwood while there is still time.", True, False),
    ("Everyone here tonight has to sign the letter.", True, True),
    ("Everyone here needs to feel safe.", False, False),
    ("Everyone in this village should have somewhere they belong.", False, False),
    ("we have the power to sort this today so i want the school council to vote now to name mrs patel.", True, True),
    ("I want everyone to sign the letter.", True, False),
    ("I want all of you to sign the letter.", True, False),
    ("By spring, I want every one of those trees to have the order it should have had.", False, False),
    ("I want to talk about the people we are not seeing.", False, False),
    ("No one should have to lie on a toilet floor to take part in their own town.", False, False),
    ("Everyone should take part in the vote on Thursday.", False, False),
    ("Please take part in the vote on Thursday.", True, True),
    ("Please think about whether you could give a night this winter.", True, False),
    ("If you've got a spare morning now and then, think about giving it to us.", True, False),
    ("Please give a night on Friday 12 December.", True, True),
    # "so do the people who visit them" says the same is true of others: not an imperative.
    ("Patients deserve dignity, and so do the people who visit them.", False, False),
    ("We love this hall. So do the people who clean it.", False, False),
    ("If you can, do come along on Friday.", True, True),
    ("We really need people to get behind us on this.", True, False),
    # A sentence that starts inside a quotation opened before it asks nothing of the listeners.
    ('The sign on the gate said "Pitch closed. Please keep off." One girl asked me why.', False, False),
    ('Our leaflet says \u201cThinking of a bonfire? Ring us first.\u201d It worked.', False, False),
    ('He said "no". Please ring the council on Monday.', True, True),
    # A verb of doing before the comma makes a clause, not a list of people to ask.
    ("Now eleven men cook, share a table and have a laugh.", False, False),
    ("So parents, drivers, anyone, come to the civic centre on Monday.", True, True),
    ("I want every club secretary in this room there to speak up for a fair share.", True, True),
    # "so" after a comma, before an action, turns the sentence to an imperative; "so do" is an inversion.
    ("The cabinet decides on Wednesday 9 July, so come to the Town Hall at 6pm that night.", True, True),
    ("We lost the grant in May, so we closed the cafe.", False, False),
    ("The staff care, and so do the residents.", False, False),
    ("Would you want to be sedated for going to work?", False, False),
    ("Would you like to join us on Friday at the hall?", True, True),
    # "a bit" is a noun, not the past of "bite": the ask after it is not a reported past ask.
    ("So learn a bit of sign language, and come and cheer us on.", True, False),
    ("So I learned sign language, and we asked them to come and cheer us on.", False, False),
    # Stop 12, batch 21: an asking frame of "I would ask", a label and a colon, "please do", and "please" before a
    # time clause; "here" after "everyone" names the listeners, not a place.
    ("I would ask everyone here to do what they can to support our veterans.", True, False),
    ("I'd ask all of you to sign the letter on Friday.", True, True),
    ("Members of the environment committee: on 3 March, vote for option B.", True, True),
    ("Councillors: vote for option B on 3 March.", True, True),
    ("The usual answer: paint over it at 7am and it's back by 7pm.", False, False),
    ("Dec: Coach Samir explained offside in Arabic.", False, False),
    ("He told me: come back tomorrow and bring your mum.", False, False),
    ("we are at breaking point so if any of you can, pls do something to help us, anything really", True, False),
    ('The sign says "Please do not feed the donkeys". We feed them ourselves.', False, False),
    ("so pls, after the service this sunday, stop at the table by the door and sign the letter", True, True),
    ("Will everyone here come to the hall on Friday at 7?", True, True),
    # Batch 23: a sign's words after "says", and a need conceded after "not that".
    ("every bin has a sticker on the lid that says please leave your bin at the kerb by 7am.", False, False),
    ("The landlady stamps a loyalty card for every pint, not that we need one.", False, False),
    ("We need ten volunteers to staff the hall on Saturday at 10.", True, True),
    # Batch 24: more verbs that head an ask, a wish put politely ("I'd like X to..."), and "now" as a slogan's subject.
    ("So dig that old bike out of the shed and come for a ride with us one of these days.", True, False),
    ("Pop into the library on Saturday at 10 and sign the letter.", True, True),
    ("I dug the old bike out of the shed.", False, False),
    ("I'd like the members of the environment committee to add a half-price rate to the report for 12 September.",
     True, True),
    ("I would like each of you to email your councillor by Friday.", True, True),
    ("I'd love the third school to be next.", False, False),
    ("I like the members of the committee to add a rate on 12 September.", False, False),
    ("Now is the time to stand with us and save our bakery.", True, False),
    ("Now's the moment to stand with us.", True, False),
    ("Sign the letter now, at the door.", True, True),
    # Batch 25: the speaker asking now, as a label before the colon.
    ("I've come to ask one thing: if you've got one of our beds, ring the help desk before the end of March.",
     True, True),
    ("What I'm asking: come to the hall on Friday.", True, True),
    ("She asked me: come back tomorrow and bring your mum.", False, False),
    # A day left to the listener ("one Sunday", "a spare Saturday") is no time for the ask; a named one is.
    ("Come and walk with us one Sunday if you fancy it.", True, False),
    ("If you've ever got a spare Saturday, come and lend a hand some time.", True, False),
    ("Come and walk with us on Sunday.", True, True),
    ("Come down to Unity Hall any Wednesday at two.", True, True),
    # The speaker's own need to speak opens the story; a need of the listeners asks.
    ("I need to tell you what is happening to the pool in September. It shuts. The coach takes an hour. Nobody was"
     " asked.", False, False),
    ("We need you to come on Friday.", True, True),
])
def test_forms_of_ask_learned_from_unseen_batches(text, present, specific):
    cta = analyse(text, "now").call_to_action
    assert (cta.present, cta.specific) == (present, specific)


def test_a_shared_duty_asks_only_in_a_story_of_now():
    """ "We should all..." is a belief about everyone in a story of self or us, and an ask in a story of now."""
    text = "I run the angling club. We should all look after the river we share with the fish."
    assert analyse(text, "now").call_to_action.present
    assert not analyse(text, "self").call_to_action.present
    assert not analyse(text, "us").call_to_action.present
    assert analyse(text, "self").sentences[1].abstract_claim


def test_the_ask_in_a_run_on_draft_is_the_clause_please_opens():
    """A draft typed with no full stops is one long "sentence": the ask's details are those of the clause that
    "please" opens, not the numbers and places of the whole draft."""
    text = ("hi everyone im Jo and i run the ferret rescue in Thornaby we have 31 ferrets in right now and room for 18 "
            "and the phone hasnt stopped since july people buy kits on facebook for 40 pounds and dump them at the "
            "canal the vet did his op for nothing but she cant do that every time we are at breaking point last year "
            "we rehomed 47 and the pet shop on the retail park gives us food so if any of you can pls do something to "
            "help us anything really")
    cta = analyse(text, "now").call_to_action
    assert cta.present and not cta.specific
    assert text[cta.start:cta.end].startswith("pls do something")


def test_a_belief_about_what_will_happen_is_neither_a_pledge_nor_a_claim():
    """ "I believe we will..." predicts; it promises the room nothing and claims no value. "We will..." pledges."""
    belief = "The kitchen closes in August. I still believe we will be cooking somewhere in September."
    assert not analyse(belief, "now").call_to_action.present
    assert abstract_flags("I still believe we will be cooking somewhere in September.") == [False]
    assert abstract_flags("We know this can be fixed.") == [False]
    assert abstract_flags("I believe everyone deserves a safe home.") == [True]
    pledge = "The kitchen closes in August. We will be cooking somewhere in September."
    assert analyse(pledge, "now").call_to_action.present


def test_wanting_others_to_act_asks_only_in_a_story_of_now():
    text = "The club closed in May. I want the parents on the estate to ring the council."
    assert analyse(text, "now").call_to_action.present
    assert analyse(text, None).call_to_action.present
    assert not analyse(text, "self").call_to_action.present
    assert not analyse(text, "us").call_to_action.present


# Senses of value words learned in stops 10 and 11 from the retired unseen batches: each value with a look-alike that is not.
@pytest.mark.parametrize("text, cues", [
    # "to be honest" after a verb of asking and its object says what someone should be; at a clause's edge it fills.
    ("They need us to be honest and to ring them back.", ["honest"]),
    ("She asked them to be fair with every caller.", ["fair"]),
    ("To be honest, I thought she had lost it.", []),
    ("I told him, to be honest, that it was over.", []),
    # "the kind" before a noun is kindness; before "of" or nothing it is a sort.
    ('A card came for "the girl with the kind voice".', ["kind"]),
    ("It was the kind of day you remember.", []),
    ("That is the kind we need.", []),
    # "properly" after a linking verb strengthens an adjective; feeling free is freedom, "feel free to" a filler.
    ("Skating is where I feel properly free.", ["free"]),
    ("We felt free for the first time.", ["felt free"]),
    ("Feel free to ask me anything.", []),
    ("The kids were queuing properly by the third week.", ["properly"]),
    # Driving a bus, and grit on the roads, are not ambition or determination.
    ("Ruth has driven the number 9 for twenty-two years.", []),
    ("She was driven and ambitious.", ["driven", "ambitious"]),
    ("There was no grit on the hill road and the gritting crew was a lorry down.", []),
    ("It takes grit to keep going.", ["grit"]),
    # An independent (shop, candidate) and an NHS trust that acts are not independence or trust.
    ("Chains were buying up every independent in the county.", []),
    ("She is an independent woman.", ["independent"]),
    ("The trust next door uses trained volunteers at night.", []),
    ("The trust between us took years to build.", ["trust"]),
    ("Trust me, it works.", []),
    ("She had no reason to trust me.", ["trust"]),
    ("I told him straight that I couldn't undo it.", ["tell him straight"]),
    ("She could come and go as she liked.", ["come and go as"]),
    ("We did as we pleased all summer.", ["as we pleased"]),
    ("Will you help us keep it open?", []),
    ("Please get behind us and help however you can.", []),
    ("Last year our team helped four hundred people.", ["help"]),
    ("What we've learned is that a clean street matters.", []),
    ("I believe in learning at every age.", ["learning"]),
    ("We prayed in the Multi-Faith Room at the hospital.", []),
    ("The Eid fair on the green raised four hundred pounds.", []),
    ("It isn't fair on the kids.", ["fair"]),
    ("It took a fair bit of paperwork.", []),
    ("The cable belonged to nobody.", []),
    ("We belong to this town.", ["belonging"]),
    ("She had been brought up to do things properly.", ["do things properly"]),
    ("He trained in casualty care before he joined.", []),
    ("It was an honest mistake.", []),
    ("She used the house as security for the loan.", []),
    ("When people save together, they build security for themselves.", ["security"]),
    ("He stood by the water tray in his coat.", []),
    ("Children deserve adults who stand by them.", ["stand by"]),
    ("The lottery doesn't care how much you love something.", []),
    ("At ten the power came back on.", []),
    ("if im honest i was scared.", []),
    ("We kept quiet because we were ashamed.", []),
    # Stop 11. What "is for everyone" is open to all; cooking for everyone or being good for everyone is not.
    ("Netball here is for everyone, not just the fit ones.", ["for everyone"]),
    ("Time in nature is good for everyone.", ["nature"]),
    ("Hamid started cooking for everyone.", []),
    # Phrases no writer marked in any retired batch: a shrug at the rules, an offer of help, walking together.
    ("Some said it was a shame, but rules are rules.", []),
    ("Could a few of you lend a hand with the application?", []),
    ("The parents went to their MPs side by side.", []),
    # A value word typed in lower case before a street or building noun is a name; "god help" is an idiom.
    ("the lift at liberty row has been broke since christmas", []),
    ("we are the b team at the unity club on station road", []),
    ("same seats, and god help anyone who sits in ritas.", []),
    ("We help anyone who walks through the door.", ["help"]),
    ("His bird, Pride of Hindley, came second in the Bourges race.", []),
    ("We were tired, pride of the town or not.", ["pride"]),
    ("He worked hard, Pride kept him going.", ["work hard", "pride"]),
    ('I found his old bus with "Pride of Preston" still painted under the windscreen.', []),
    ('She said "Pride comes before a fall" and laughed.', ["pride"]),
    ("That is a fair question, and here is the answer.", []),
    ("Every penny we take goes into a fund for patient comforts.", []),
    ("Bev is patient with the ones who will only eat beige food.", ["is patient"]),
    ("The old hands passed on what they knew.", ["pass on what"]),
    ("Music like this has to be passed on, hand to hand.", ["pass on"]),
    # Sharing something with people is benevolence; a share bought or held is not.
    ("We pressed our first juice and shared it with the whole street.", ["share"]),
    ("We share data with the police.", []),
    ("Mum bought a share for the whole street.", []),
    ("Every child deserves a warm, safe place to learn.", ["safe place", "learn"]),
    ("We had no time to learn the names.", []),
    ("Donna promised to ring every Sunday, and she kept that promise for three years.", ["keep"]),
    ("The council keeps its word.", ["keep its word"]),
    ("Keep the word count under 400.", []),
    ("She was allowed in, but never really included.", ["included"]),
    ("Bring your broken stuff on Saturday, tea included.", []),
    # Words no writer (or one writer in five) marked in the retired batches: praise for manners, being settled, a
    # second chance, keeping going, a privilege, being heard.
    ("The boys were polite and kept going all afternoon.", []),
    ("It was a privilege to be there, and the matter was settled.", []),
    ("Every child deserves a settled home.", ["settled home"]),
    # Service heads listed in a form whose lemma differs ("proceedings", "flats") are found as written too.
    ("Before a case goes to care proceedings, we bring the whole family into one room.", []),
    ("the lift at liberty flats is broke again", []),
    ("We care for the whole family.", ["care for"]),
    # A fair for freshers is an event; "fair play to them" is praise, not fairness.
    ("I ran a stall at the freshers fair.", []),
    ("Fair play to them, they turned up every week.", []),
    ("We believe in fair play.", ["fair"]),
    ("At last something felt like home.", ["feel like home"]),
    ("We never let each other down on the rota.", ["never let each other down"]),
    ("The bus let us down again.", []),
    ("We look after the land and we listen to the farmers.", ["look after the land", "listen"]),
    ("We look after the farmers.", ["look after"]),
    ("At school I kept my head down and said nothing.", []),
    ("Some people call us the fun police.", []),
    ("For three years we campaigned for a Changing Places toilet.", []),
    ("Four generations of my family have run this stall.", []),
    ("We don't share a language.", []),
    # Stop 12, batch 21: a fair after a place name, a power chair, a typed "rite now"; seva; doing your best.
    ("We had a stall at the Bodmin fair in June.", []),
    ("Be fair to each other.", ["fair"]),
    ("He uses a power chair to get to the shop.", []),
    ("The council has the power to stop it.", ["power"]),
    ("we have 31 ferrets in rite now", []),
    ("The wedding was a rite of passage for us all.", ["rite of passage"]),
    ("Seva is what the langar runs on.", ["seva"]),
    ("Scouting is about doing your best.", ["do your best"]),
    # Batch 22: job titles of the duty rota, an event, names typed in lower case, "of its kind"; bayanihan.
    ("Our duty senior, Ruth, found a bed at 3am.", []),
    ("It is our duty to find her a bed.", ["duty"]),
    ("We put on a welcome lunch for the new nurses.", []),
    ("we meet at unity quay and drink at the liberty arms", []),
    ("It was the first scheme of its kind.", []),
    ("At home we call it bayanihan.", ["bayanihan"]),
    ("We wanted to stand on our own feet.", ["stand on our own feet"]),
    ("it was a right laugh most nights", ["laugh"]),
    ("It is the best laugh of my week.", ["laugh"]),
    ("A woman laughed at the back.", []),
    ("kindness dosnt cost anything either", ["kindness"]),
    ("The care costs went up again.", []),
    # Batch 23: kit and services named by a value word, a name typed in lower case, another filler.
    ("She starts at the care farm on Monday, after two care visits.", []),
    ("The safety boat stays out until the last canoe is in.", []),
    ("we took the kids to freedom fields for the fireworks", []),
    ("Both flats have key safes by the door.", []),
    ("If I'm truthful, I nearly said no.", []),
    ("I care about the people on that farm.", ["care about"]),
    # "the trust" with a verb of its own is an organisation (an NHS trust); "the trust you build" is a value.
    ("The trust has paused the closure for a year.", []),
    ("It is the trust you build that counts.", ["trust"]),
    ("We earned the trust of the residents.", ["trust"]),
    # Batch 24: nobody shut out or left alone, said with any subject, verb and participle of the word classes.
    ("We have one rule: nobody gets left behind.", ["nobody gets left behind"]),
    ("No one was turned away.", ["no one was turned away"]),
    ("So nobody missed out.", ["nobody missed out"]),
    ("Ken made sure nobody walked home alone.", ["nobody walked home alone"]),
    ("She felt left out.", []),
    ("Nobody walked past.", []),
    # Batch 25: weather, a legal status, fairs as events and a lower-case estate name.
    ("We're not fair-weather riders.", []),
    ("I check every planning application for protected species.", []),
    ("The old hiring fairs are long gone.", []),
    ("the sheds at liberty meadows flooded again", []),
    ("It was a fair decision.", ["fair"]),
    ("The club is open to every child.", ["open to every"]),
    ("He wants to stay independant.", ["independant"]),
    # "value" frames health, home and family as "believe" does; "important" and "worth" claim them as "matters" does.
    ("We value health and friendship.", ["health", "friendship"]),
    ("Family is important to us.", ["family"]),
    ("My family is important to me.", []),
    ("They want clean water in the river.", ["clean water"]),
    # Batch 26: "kindly" before a verb is a formula, honest with someone is how they are dealt with, an ordinal is
    # not the number after a fair, a security job, and what a council buys under contract.
    ("Their email asked us to kindly vacate the storage cage.", []),
    ("Kindly return the keys to reception.", []),
    ("She spoke to him kindly.", ["kindly"]),
    ("He was a kindly neighbour.", ["kindly"]),
    ("Kindly, she said that any chaplain would do.", ["kindly"]),
    ("People will pay what they can if we are honest with them.", ["honest with"]),
    ("If we are honest with them, they pay.", ["honest with"]),
    ("If we are honest with ourselves, it was a mess.", []),
    ("We did it in six weeks, to be honest with no budget at all.", []),
    ("A mirror makes it easier to be honest.", ["honest"]),
    ("It was a mess, to be honest.", []),
    ("Everyone deserves a fair second chance.", ["fair"]),
    ("The fair 2024 raised six hundred pounds.", []),
    ("Before the council, I did security at the Justice Centre.", []),
    ("Older people need security in their own homes.", ["security"]),
    ("The leisure contract goes to the committee in June.", []),
    ("Leisure matters as much as work.", ["leisure"]),
    # Batch 27: what someone learns to be, looking in on a person, trusts and firms that are organisations, and a
    # boat's duty.
    ("Priya told him that the fox learns to be honest.", ["honest"]),
    ("We took turns to look in on her on Sunday evenings.", ["look in on"]),
    ("I'll look in on the boiler tomorrow.", []),
    ("From September the leisure trust wants the slot back.", []),
    ("I run the car boot behind pride cabs.", []),
    ("We run the kit rota for the goodwill road under 12s.", []),
    ("The club ran on goodwill.", ["goodwill"]),
    ("The power boat can go back to safety cover.", []),
    ("Safety comes first on the water.", ["safety"]),
])
def test_value_senses_learned_from_unseen_batches(text, cues):
    assert cues_of(text) == cues


def test_pride_in_a_person_is_a_feeling_not_a_claim():
    assert abstract_flags("We are proud of her, and of us.", "us") == [False]
    assert abstract_flags("We are proud to serve this town.", "us") == [True]


def test_what_the_narrator_thought_then_is_a_moment_but_a_lesson_is_a_claim():
    assert abstract_flags("I thought she had been treated unfairly for sixty years.") == [False]
    assert abstract_flags("I learned that everyone deserves to be treated fairly.") == [True]
    assert abstract_flags("I think everyone deserves to be treated fairly.") == [True]


def test_a_past_form_after_a_determiner_is_a_noun_not_a_past_tense():
    # "a bit" is not the past of "bite", so the sentence is not told in the past: a present claim.
    assert abstract_flags("A bit of heritage like this doesn't come back once it's gone.") == [True]
    assert abstract_flags("The dog bit the postman, and heritage was the last thing on my mind.") == [False]


def test_health_before_an_ought_and_a_typed_should_make_claims():
    assert cues_of("Your health shouldn't depend on your postcode.") == ["health"]
    assert cues_of("My health is poor these days.") == []
    assert cues_of("Health at work matters.") == ["health"]
    assert cues_of("Nobody should have to choose between their health and their job.") == ["health"]
    assert cues_of("You should get your health checked.") == []
    assert abstract_flags("every child shud get a fair shot at learning to swim.") == [True]


def test_hope_in_what_we_can_do_together_is_not_a_value_claim():
    assert abstract_flags("Together we can build a fairer ward.") == [False]
    assert abstract_flags("And we can make a real difference.") == [False]
    assert abstract_flags("We believe we can build a fairer ward.") == [True]
    assert abstract_flags("We build a fairer ward together.") == [True]
    assert abstract_flags("We can.") == [False]


def test_a_question_is_not_a_value_claim():
    assert abstract_flags("Who looks after the people who look after everyone else?") == [False]
    assert abstract_flags('Isn\'t everyone worth "a second look?"') == [False]
    assert abstract_flags("We look after everyone else.") == [True]


@pytest.mark.parametrize("text", ["want", "want.", "I want", "we want you", "Will", "Will you", "Everyone", '"',
                                  "so do", "together we can", "a bit", "pass on", "think about"])
@pytest.mark.parametrize("kind", [None, "self", "us", "now"])
def test_drafts_of_a_word_or_two_give_valid_feedback(text, kind):
    # The rules look at the tokens before and after a cue; at the edges of a tiny draft there are none.
    feedback = analyse(text, kind)
    result = feedback.to_dict()
    assert result["kind"] == kind and result["word_count"] == (0 if text == "\"" else len(text.split()))
    assert 1 <= len(feedback.prompts) <= 5


def test_random_word_salad_never_raises():
    # Rules look a few tokens either side of a cue; shuffled words from the annotated drafts and the cue words most
    # rules key on put cues at every edge (first token, last token, a sentence of one word).
    import random

    words = sorted({w for line in (ROOT / "data" / "annotated" / "drafts.jsonl").read_text(encoding="utf-8").splitlines()
                    for w in json.loads(line)["text"].split()})
    cues = ["will", "Will", "want", "I", "we", "everyone", "here", "?", ".", ",", "to", "a", "bit", "think", "about",
            "together", "can", "share", "with", "keep", "promise", "health", "should", "for", "included", "'", '"', "\n\n",
            "please", "so", "do", "you", "room", "needs", "No", "one", "Pride", "of", "liberty", "row", "care", "pass", "on"]
    rng = random.Random(11)
    for _ in range(1000):
        size = rng.choice([1, 2, 3, rng.randint(4, 30)])  # many tiny drafts: most edge cases are at the edges
        text = " ".join(rng.choice(cues) if rng.random() < 0.5 else rng.choice(words) for _ in range(size))
        for kind in (None, "self", "us", "now"):
            assert analyse(text, kind).to_dict()["kind"] == kind


# Abstract claims and their look-alikes, learned in stop 10 from the retired unseen batches: a clock time or "now"
# anchors a scene, a sentence about one person is a portrait, pride in what was just told is a feeling, what a faith
# teaches is a belief, and "about" before a number frames nothing.
@pytest.mark.parametrize("text, claim", [
    ("At nine it's the pensioners, and they look out for each other.", False),
    ("They look out for each other.", True),
    ("Since prices went up, it's about one in three.", False),
    ("For me, it's about fairness.", True),
    ("They look out for each other now.", False),
    ("Now he's the one telling new traders that the rules are the same for everyone.", False),
    ("Now everyone deserves a fair hearing.", True),
    ("She looks out for people in a way no app ever will.", False),
    ("And he's fiercely independent.", False),
    ("She deserves respect.", True),
    ("People look out for each other in a way no app ever will.", True),
    ("Our faith tells us to feed the hungry.", True),
    ("My dad reminded them that our faith teaches us to welcome the stranger.", False),
    ("We are proud of that.", False),
    ("We are proud of what we do.", True),
    ("It is a strange job, but we are proud of it.", True),
    # Batch 24: rights claimed without "a right to", a line that heads what follows, and pride in each one.
    ("Health is a right, not a privilege.", True),
    ("Disabled people have as much right to the shops as anyone else.", True),
    ("Everyone has a right to come and go freely from their own front door.", True),
    ("What I believe:", False),
    ("We are proud of every one of them.", False),
])
def test_claims_learned_from_unseen_batches(text, claim):
    assert abstract_flags(text) == [claim]
