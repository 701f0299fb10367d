"""Who a draft says spoke: by name, title, pronoun or continuation, or nobody, never a guess."""

import pytest

from briefing.models import Official, Organization
from tests.drafting.helpers import draft, statement

pytestmark = pytest.mark.django_db


def test_unknown_speaker_stays_null_with_the_attributing_words_kept():
    body = (
        "Kasimir Vell met Anna Roth on Monday. A diplomat, who asked not to be named, spoke afterwards. "
        "“He was polite, and he was firm,” the diplomat said."
    )
    found = statement(draft(body), "He was polite")
    assert (found["speaker"], found["attribution"], found["attribution_text"]) == (
        None,
        "none",
        "the diplomat said",
    )


def test_quotation_with_no_attributing_words_is_left_unattributed():
    found = statement(draft("The talks ended late.\n\n“Nobody slept,” ran the caption."), "Nobody slept")
    assert (found["speaker"], found["attribution"]) == (None, "none")


def test_pronoun_resolves_to_the_official_named_before_it():
    body = "Minister of Fisheries Petra Solvar arrived first. “We are ready,” she said."
    fixture = draft(body)
    found = statement(fixture, "We are ready")
    assert (found["speaker"], found["attribution"], found["attribution_text"]) == (
        "petra-solvar",
        "pronoun",
        "she said",
    )
    assert fixture["officials"] == [
        {
            "slug": "petra-solvar",
            "name": "Petra Solvar",
            "title": "Minister of Fisheries",
            "organization": None,
        }
    ]


def test_title_resolves_to_the_official_the_article_gave_it():
    body = (
        "Prime Minister Aurel Bastin met President Nadia Orsa on Monday.\n\n"
        "“It is a boat that leaves on time,” said the Prime Minister."
    )
    found = statement(draft(body), "It is a boat")
    assert (found["speaker"], found["attribution"], found["attribution_text"]) == (
        "aurel-bastin",
        "title",
        "said the Prime Minister",
    )


def test_a_title_nobody_in_the_article_holds_leaves_the_speaker_unknown():
    found = statement(draft("Ann Lode met Per Sand.\n\n“Fine,” said the Prime Minister."), "Fine")
    assert (found["speaker"], found["attribution"]) == (None, "none")


def test_unattributed_paragraph_after_a_quotation_continues_its_speaker():
    body = "“The fund exists,” said Dr Miren Askel.\n\n“It is there so no member has to choose.”"
    second = draft(body)["statements"][1]
    assert (second["speaker"], second["attribution"]) == ("miren-askel", "continuation")


def test_according_to_attributes_the_fragment_that_follows():
    body = "According to Koval Brenner, parliament could vote “before the summer recess, if the opposition reads it”."
    found = statement(draft(body), "before the summer")
    assert (found["speaker"], found["attribution"], found["attribution_text"]) == (
        "koval-brenner",
        "name",
        "According to Koval Brenner",
    )


def test_aside_between_speaker_and_verb_keeps_the_speaker_before_it():
    body = "Tova Solvik, who has pressed for the deal since she took office, called it “the first sensible thing.”"
    found = statement(draft(body), "the first sensible")
    assert found["speaker"] == "tova-solvik"
    assert (
        found["attribution_text"]
        == "Tova Solvik, who has pressed for the deal since she took office, called it"
    )


def test_trailing_dash_line_names_the_speaker():
    found = statement(
        draft("“A council is only as strong as its harbour.” — Dr Miren Askel, Secretary General"),
        "A council",
    )
    assert (found["speaker"], found["attribution_text"]) == (
        "miren-askel",
        "— Dr Miren Askel, Secretary General",
    )


def test_known_official_is_matched_to_the_stored_record_by_surname_and_title():
    org = Organization.objects.create(
        slug="government-of-ostrava", name="Government of Ostrava", kind="government"
    )
    Official.objects.create(slug="marta-lindkvist", name="Marta Lindkvist", organization=org)
    fixture = draft("“We are here to listen,” said Chancellor Lindkvist.")
    assert statement(fixture, "We are here")["speaker"] == "marta-lindkvist"
    assert fixture["officials"] == []  # stored officials are referred to by slug, not proposed again


def test_every_attribution_carries_a_confidence_between_zero_and_one():
    body = "“Yes,” said Ann Lode. “No,” she added.\n\n“Maybe.”\n\n“Never,” the official said."
    assert all(0 <= s["confidence"] <= 1 for s in draft(body)["statements"])


def test_lower_case_title_with_its_country_resolves_to_that_countrys_official():
    body = (
        "Arlanian Foreign Minister Kira Holt met her Beskian counterpart, Omar Pell.\n\n"
        "“Deeds count,” the foreign minister of Arlania said."
    )
    found = statement(draft(body), "Deeds count")
    assert (found["speaker"], found["attribution"]) == ("kira-holt", "title")


def test_an_institution_speaking_is_no_official():
    body = "Kira Holt met Omar Pell.\n\nIn a statement, the Beskian foreign ministry said the talks were “constructive”."
    found = statement(draft(body), "constructive")
    assert (found["speaker"], found["attribution"]) == (None, "none")


def test_a_quotation_with_its_own_attributing_words_does_not_borrow_the_one_before():
    body = "“The crossing matters,” Lena Hoff told the newspaper. She said the talks had been “open”."
    found = statement(draft(body), "open")
    assert (found["speaker"], found["attribution"], found["attribution_text"]) == (
        "lena-hoff",
        "pronoun",
        "She said",
    )


def test_inverted_attribution_stops_before_a_participle_clause():
    found = statement(
        draft("“It is a first step,” said Ms Anna Kowal, adding that details would follow."), "It is"
    )
    assert found["attribution_text"] == "said Ms Anna Kowal"


def test_pronoun_goes_to_the_subject_of_the_sentence_before_not_the_last_name():
    body = "Lior Tamsen met Mateo Koval in Kelbridge on Monday. “We agreed on the files,” she said."
    found = statement(draft(body), "We agreed")
    assert (found["speaker"], found["attribution"]) == ("lior-tamsen", "pronoun")


def test_a_place_doing_something_is_not_proposed_as_an_official():
    fixture = draft("Port Adaine was quiet on Monday. “We wait,” said Ann Bell.")
    assert [o["slug"] for o in fixture["officials"]] == ["ann-bell"]


def test_a_name_ending_its_sentence_does_not_run_into_the_next_sentence():
    body = (
        "Hale flew north for a meeting with Kestrian Prime Minister Ada Lorne. "
        "The Prime Minister said Kestria was “ready to carry its share of the cost”."
    )
    found = statement(draft(body), "ready to carry")
    assert (found["speaker"], found["attribution"]) == ("ada-lorne", "title")


def test_a_surname_particle_and_hyphen_stay_in_the_name_and_its_bare_form_attributes():
    body = (
        "Defence Secretary Jan de Vries-Mola arrived first.\n\n"
        "“Our pilots already train together,” de Vries-Mola said."
    )
    fixture = draft(body)
    assert [o["name"] for o in fixture["officials"]] == ["Jan de Vries-Mola"]
    found = statement(fixture, "Our pilots")
    assert (found["speaker"], found["attribution_text"]) == ("jan-de-vries-mola", "de Vries-Mola said")


def test_a_descriptor_resolves_to_the_official_whose_nationality_and_office_fit():
    body = (
        "President Rowena Quill of Belmark welcomed Sarnian Prime Minister Idris Vahl on Monday. "
        "Quill said the cable would “change the arithmetic of our winters”. Vahl agreed. "
        "“Cheap power is worth more than any speech,” the Sarnian leader said."
    )
    found = statement(draft(body), "Cheap power")
    assert (found["speaker"], found["attribution"]) == ("idris-vahl", "title")


def test_a_descriptor_that_fits_nobody_is_unknown_not_the_previous_speaker():
    body = (
        "President Rowena Quill of Belmark welcomed Prime Minister Idris Vahl on Monday. "
        "Quill said the cable would “change the arithmetic of our winters”. "
        "“It will not be cheap,” the envoy said."
    )
    found = statement(draft(body), "It will not be cheap")
    assert (found["speaker"], found["attribution"], found["attribution_text"]) == (
        None,
        "none",
        "the envoy said",
    )


def test_a_title_inside_an_institution_name_is_not_a_mention():
    body = "Courtesy: Office of the President of Belmark\n\nPresident Rowena Quill met Idris Vahl on Monday."
    mentions = draft(body)["mentions"]
    assert [m["text"] for m in mentions][:1] == ["President Rowena Quill"]


def test_a_new_official_is_proposed_with_the_title_as_given_and_the_government_the_text_names():
    body = (
        "Orvanian Foreign Minister Lisbet Harrow met Belmark's Energy Minister, Dr Esme Calder, in Velmora "
        "on Tuesday. Air Marshal Pieter Snell, Chief of the Air Staff, joined them."
    )
    fixture = draft(body)
    officials = {o["slug"]: o for o in fixture["officials"]}
    assert officials["lisbet-harrow"] == {
        "slug": "lisbet-harrow",
        "name": "Lisbet Harrow",
        "title": "Foreign Minister",
        "organization": "orvania",
    }
    assert (officials["esme-calder"]["title"], officials["esme-calder"]["organization"]) == (
        "Energy Minister",
        "belmark",
    )
    assert {o["slug"]: o["name"] for o in fixture["organizations"]} == {
        "orvania": "Government of Orvania",
        "belmark": "Government of Belmark",
    }
    honorifics = {m["name_as_printed"]: m.get("honorifics") for m in fixture["mentions"]}
    assert (honorifics["Esme Calder"], honorifics["Pieter Snell"]) == ("Dr", "Air Marshal")


def test_a_pronoun_goes_to_the_official_whose_gender_the_text_gives():
    body = (
        "Foreign Minister Lisbet Harrow met her counterpart, Foreign Minister Tomas Eklund, on Tuesday. "
        "Mr Eklund was late.\n\nHarrow thanked Eklund for the visit. “We start in May,” he said."
    )
    found = statement(draft(body), "We start in May")
    assert (found["speaker"], found["attribution"]) == ("tomas-eklund", "pronoun")


def test_an_inverted_anonymous_speaker_leaves_its_relative_clause_out_without_a_comma():
    body = "Ada Lorne met Tomas Eklund on Monday.\n\n“Nobody thinks it easy,” said a senior official who asked not to be named."
    found = statement(draft(body), "Nobody thinks")
    assert (found["speaker"], found["attribution_text"]) == (None, "said a senior official")


def test_a_stored_officials_given_name_stays_a_name_when_a_government_shares_the_word():
    Organization.objects.create(slug="halvard", name="Government of Halvard", kind="government")
    Official.objects.create(
        slug="halvard-ostby", name="Halvard Ostby", title="Deputy Foreign Minister of Brannock"
    )
    body = "Deputy Foreign Minister Halvard arrived late. “We are ready,” Halvard said."
    found = statement(draft(body), "We are ready")
    assert found["speaker"] == "halvard-ostby"


@pytest.mark.parametrize(
    ("printed", "later", "name"),
    [
        ("Ambassador of Lusk, Henrik van der Berg", "Ambassador van der Berg", "Henrik van der Berg"),
        ("his Velenese counterpart Mariam al-Hakim", "Al-Hakim", "Mariam al-Hakim"),
    ],
)
def test_compound_particles_and_prefixed_surnames_are_one_name(printed, later, name):
    body = f"Minister Sven Olafsen met {printed} on Monday.\n\n“We agree,” {later} said."
    fixture = draft(body)
    found = statement(fixture, "We agree")
    assert {o["slug"]: o["name"] for o in fixture["officials"]}[found["speaker"]] == name


def test_a_pronoun_two_officials_fit_equally_is_attributed_with_lower_confidence():
    body = "Minister Ana Roth met Minister Kai Lund on Monday. “We are close,” she said."
    clear = "Minister Ana Roth met her counterpart, Minister Kai Lund, on Monday. “We are close,” she said."
    unsure, sure = statement(draft(body), "We are close"), statement(draft(clear), "We are close")
    assert unsure["speaker"] == sure["speaker"] == "ana-roth"
    assert unsure["confidence"] < sure["confidence"]


def test_title_fitting_two_officials_goes_to_the_subject_of_the_paragraph_before():
    body = (
        "Health Minister Ada Roos and Minister for Roads Carl Vint met on Monday.\n\n"
        "“It went well,” Roos said.\n\n"
        "Vint, speaking separately, said the plan was “sound”. He added that work would start soon.\n\n"
        "The minister said: “We are ready to begin.”"
    )
    found = statement(draft(body), "We are ready")
    assert (found["speaker"], found["attribution"]) == ("carl-vint", "title")


def test_title_fitting_two_officials_with_no_subject_before_it_names_nobody():
    body = (
        "Health Minister Ada Roos and Minister for Roads Carl Vint met on Monday.\n\n"
        "The weather was poor and the session ran late.\n\n"
        "The minister said: “We are ready to begin.”"
    )
    found = statement(draft(body), "We are ready")
    assert (found["speaker"], found["attribution"]) == (None, "none")


def test_a_country_sharing_a_stem_with_a_stored_organization_gets_its_own_government():
    Organization.objects.update_or_create(
        slug="nato",
        defaults={
            "name": "North Atlantic Treaty Organization",
            "abbreviation": "NATO",
            "kind": "intergovernmental",
        },
    )
    fixture = draft("Northland's Chancellor, Elske Varga, spoke first. “We are ready,” Varga said.")
    official = next(o for o in fixture["officials"] if o["slug"] == "elske-varga")
    assert official["organization"] == "northland"


def test_a_three_letter_country_in_front_of_a_title_is_proposed_as_a_government():
    fixture = draft(
        "Esk's Minister for Commerce, Mr Ruben Castell, spoke first. “We are ready,” Castell said."
    )
    official = next(o for o in fixture["officials"] if o["slug"] == "ruben-castell")
    assert official["organization"] == "esk"


def test_a_country_of_several_words_after_the_name_is_proposed_as_one_government():
    fixture = draft("Premier Tane Arohi of the Marrow Islands arrived first. “We are ready,” Arohi said.")
    official = next(o for o in fixture["officials"] if o["slug"] == "tane-arohi")
    organization = next(o for o in fixture["organizations"] if o["slug"] == official["organization"])
    assert (organization["slug"], organization["name"]) == (
        "marrow-islands",
        "Government of the Marrow Islands",
    )
