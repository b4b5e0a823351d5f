from datetime import date

import pytest

from applicants.files.checks import CheckResult, check_proof_of_english, check_states_dates, find_dates

START = date(2027, 3, 3)
END = date(2027, 4, 28)


@pytest.mark.parametrize(
    "written",
    [
        "3 March 2027",
        "March 3, 2027",
        "3rd of March 2027",
        "03/03/2027",
        "3-3-2027",
        "03.03.2027",
        "2027-03-03",
        "3 Mar 2027",
        "3 maart 2027",
        # and their close relatives
        "3 Mar. 2027",
        "March 3rd, 2027",
        "3rd March, 2027",
        "3-Mar-2027",
        "3 mrt 2027",
        "3e maart 2027",
        "3 MARCH 2027",
        "3\u00a0March\u00a02027",
        "3\nMarch\n2027",
        "2027/03/03",
    ],
)
def test_find_dates_reads_every_common_format(written):
    assert find_dates(f"I would like to start on {written} if possible.") == {START}


def test_numeric_dates_are_day_first():
    assert find_dates("04/03/2027") == {date(2027, 3, 4)}


def test_numeric_date_that_only_works_month_first_is_read_that_way():
    assert find_dates("03/28/2027") == {date(2027, 3, 28)}


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("from 3 to 28 March 2027", {date(2027, 3, 3), date(2027, 3, 28)}),
        ("3–28 March 2027", {date(2027, 3, 3), date(2027, 3, 28)}),
        ("3 March – 28 April 2027", {START, END}),
        ("from 3 March until 28 April 2027", {START, END}),
        ("between 3rd of March and 28th of April 2027", {START, END}),
        ("March 3 – April 28, 2027", {START, END}),
        ("March 3-28, 2027", {date(2027, 3, 3), date(2027, 3, 28)}),
        ("3 maart t/m 28 april 2027", {START, END}),
        ("15 December to 10 January 2028", {date(2027, 12, 15), date(2028, 1, 10)}),
    ],
)
def test_find_dates_reads_both_ends_of_a_range(written, expected):
    assert find_dates(written) == expected


@pytest.mark.parametrize(
    "text",
    ["31/02/2027", "3 March", "March 2027", "tel. 06-12-345678", "version 2.0.1", "1 Marchetti 2027", ""],
)
def test_find_dates_ignores_what_is_no_full_date(text):
    assert find_dates(text) == set()


def test_letter_stating_both_dates_passes():
    text = "Dear coordinator,\nI apply for an observership from 3 March 2027 to 28 April 2027.\nKind regards"

    assert check_states_dates(text, START, END) == CheckResult(
        "pass", "The letter states the requested dates (3 March 2027 – 28 April 2027)."
    )


def test_letter_stating_the_dates_in_other_formats_passes():
    assert check_states_dates("Period: 03.03.2027 – 2027-04-28", START, END).status == "pass"


def test_letter_without_the_start_date_warns_and_shows_what_it_says():
    result = check_states_dates("Groningen, 12 October 2026. I can come from 4 March until 28 April 2027.", START, END)

    assert result == CheckResult(
        "warn",
        "The letter does not mention the requested start date 3 March 2027. "
        "Other dates in the letter: 12 October 2026, 4 March 2027.",
    )


def test_letter_without_the_end_date_warns():
    result = check_states_dates("I will arrive on 3 March 2027.", START, END)

    assert result == CheckResult("warn", "The letter does not mention the requested end date 28 April 2027.")


def test_letter_without_any_date_warns():
    result = check_states_dates("I am very motivated to learn about nuclear medicine.", START, END)

    assert result == CheckResult(
        "warn", "The letter does not mention the requested dates (3 March 2027 – 28 April 2027)."
    )


def test_letter_without_text_is_not_checked_and_asks_the_coordinator_to_read_it():
    result = check_states_dates("  \n", START, END)

    assert result == CheckResult(
        "unchecked",
        "The letter has no readable text (it may be a scan), so whether it states the requested dates "
        "(3 March 2027 – 28 April 2027) was not checked; please read it.",
    )


def test_missing_proof_of_english_warns():
    assert check_proof_of_english(False, "") == CheckResult("warn", "No proof of English has been uploaded.")


def test_proof_of_english_naming_the_test_passes():
    result = check_proof_of_english(True, "IELTS Test Report Form\nOverall band score 7.5")

    assert result == CheckResult("pass", "A proof of English is present; it mentions IELTS.")


def test_proof_of_english_with_only_a_cefr_level_passes():
    result = check_proof_of_english(True, "Certificate. Level reached: C1")

    assert result == CheckResult("pass", "A proof of English is present; it mentions level C1.")


def test_proof_of_english_without_text_is_not_checked_rather_than_passed():
    result = check_proof_of_english(True, "")

    assert result == CheckResult(
        "unchecked",
        "A proof of English is present; it has no readable text (an image or a scan), so its content was not "
        "checked; please look at it.",
    )


def test_proof_of_english_that_reads_like_something_else_warns():
    result = check_proof_of_english(True, "Certificate of attendance: pottery for beginners")

    assert result == CheckResult(
        "warn",
        "A proof of English is present, but its text does not mention English, IELTS, TOEFL, Cambridge or a "
        "CEFR level; please look at it.",
    )
