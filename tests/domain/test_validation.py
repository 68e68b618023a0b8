from __future__ import annotations

import pytest

from rayong_desktop.domain.errors import NeedsConfirmation, RefusedError
from rayong_desktop.domain.validation import (
    Concern,
    PlausibilityRules,
    check_add_friend_url,
    check_oa_id,
    check_plausibility,
    largest_weekly_rise,
    link_oa_id,
)

RULES = PlausibilityRules()


def codes(concerns: list[Concern]) -> list[str]:
    return [c.code for c in concerns]


def check(
    count: int,
    *,
    quota: int = 1_000,
    previous_count: int | None = None,
    max_previous_rise: int | None = None,
    later_count: int | None = None,
    rules: PlausibilityRules = RULES,
) -> list[Concern]:
    return check_plausibility(
        count,
        quota=quota,
        previous_count=previous_count,
        max_previous_rise=max_previous_rise,
        later_count=later_count,
        rules=rules,
    )


def test_default_rules() -> None:
    assert RULES.rise_quota_factor == 5.0
    assert RULES.rise_history_factor == 4.0
    assert RULES.rise_floor == 300


def test_ordinary_weekly_rise_passes() -> None:
    assert check(1_250, previous_count=1_000, max_previous_rise=200) == []


def test_unchanged_count_passes() -> None:
    assert check(1_000, previous_count=1_000) == []


def test_below_previous_shows_both_numbers() -> None:
    concerns = check(900, previous_count=1_250)
    assert codes(concerns) == ["below_previous"]
    assert "900" in concerns[0].en and "1,250" in concerns[0].en
    assert "900" in concerns[0].th and "1,250" in concerns[0].th


def test_above_later_when_correcting_an_old_week() -> None:
    # Correcting week 19 to 1,500 while week 20 already says 1,400.
    concerns = check(1_500, previous_count=1_200, later_count=1_400)
    assert codes(concerns) == ["above_later"]
    assert "1,500" in concerns[0].en and "1,400" in concerns[0].en
    assert check(1_400, previous_count=1_200, later_count=1_400) == []


def test_first_report_limit_is_quota_factor() -> None:
    # No history: limit = max(300, 5 * 1,000) = 5,000.
    limit = max(RULES.rise_floor, int(RULES.rise_quota_factor * 1_000))
    assert check(limit, quota=1_000) == []
    concerns = check(limit + 1, quota=1_000)
    assert codes(concerns) == ["big_rise"]
    assert "5,001" in concerns[0].en and "5,000" in concerns[0].en
    assert "5,001" in concerns[0].th and "5,000" in concerns[0].th


def test_floor_protects_small_quotas() -> None:
    # Quota 40: 5 * 40 = 200 < 300, so the floor of 300 is the limit.
    assert check(300, quota=40) == []
    assert codes(check(301, quota=40)) == ["big_rise"]
    # Quota 0 (no target set): only the floor applies.
    assert check(300, quota=0) == []
    assert codes(check(301, quota=0)) == ["big_rise"]


def test_history_raises_the_limit_above_the_quota_factor() -> None:
    # Quota 1,000 gives 5,000; a unit that once rose by 2,000 gets 4 * 2,000 = 8,000.
    assert check(10_000 + 8_000, previous_count=10_000, max_previous_rise=2_000) == []
    concerns = check(10_000 + 8_001, previous_count=10_000, max_previous_rise=2_000)
    assert codes(concerns) == ["big_rise"]
    assert "8,001" in concerns[0].en and "8,000" in concerns[0].en


def test_small_history_does_not_lower_the_quota_limit() -> None:
    # History 4 * 100 = 400 is below 5 * 1,000; the largest of the limits wins.
    assert check(5_000, previous_count=0, max_previous_rise=100) == []


def test_fractional_limit_compares_as_whole_people() -> None:
    rules = PlausibilityRules(rise_quota_factor=2.5, rise_history_factor=0.0, rise_floor=0)
    # 2.5 * 301 = 752.5: a rise of 752 is within it, 753 exceeds it; the message says 752.
    assert check(752, quota=301, rules=rules) == []
    concerns = check(753, quota=301, rules=rules)
    assert codes(concerns) == ["big_rise"]
    assert "limit of 752" in concerns[0].en


def test_several_concerns_in_fixed_order() -> None:
    # A slip: last week 1,000, this week typed 100,000 while next week says 2,000.
    concerns = check(100_000, previous_count=1_000, later_count=2_000)
    assert codes(concerns) == ["big_rise", "above_later"]
    # A fall below last week can never be a big rise.
    assert codes(check(10, previous_count=1_000, later_count=5)) == [
        "below_previous",
        "above_later",
    ]


def test_negative_input_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        check(-1)
    with pytest.raises(ValueError):
        check(1, quota=-1)
    with pytest.raises(ValueError):
        PlausibilityRules(rise_floor=-1)


def test_largest_weekly_rise_ignores_the_first_report() -> None:
    assert largest_weekly_rise([]) is None
    assert largest_weekly_rise([5_000]) is None
    assert largest_weekly_rise([5_000, 5_200, 5_900, 6_000]) == 700
    assert largest_weekly_rise([1_000, 900, 850]) == -50


def test_needs_confirmation_joins_messages() -> None:
    concerns = check(100_000, previous_count=1_000, later_count=2_000)
    error = NeedsConfirmation(concerns)
    assert error.concerns == concerns
    assert error.th == "\n".join(c.th for c in concerns)
    assert error.en == "\n".join(c.en for c in concerns)
    assert str(error) == error.en


def test_needs_confirmation_requires_a_concern() -> None:
    with pytest.raises(ValueError):
        NeedsConfirmation([])


# ---------------------------------------------------------------- the LINE OA's ID and link


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("@rayongfightcovid", "@rayongfightcovid"), (" @RayongFightCovid ", "@rayongfightcovid"),
     ("@123abcde", "@123abcde"), ("@desk-test.oa_1", "@desk-test.oa_1"), ("", "")],
)  # fmt: skip
def test_oa_ids_as_line_spells_them(typed: str, stored: str) -> None:
    assert check_oa_id(typed) == stored


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("rayongfightcovid", "ต้องขึ้นต้นด้วย @"),
        ("@rayong fight", "a-z"),
        ("@ระยอง", "a-z"),
        ("@ab", "a-z"),
        ("https://line.me/R/ti/p/%40rayongfightcovid", "ไม่ใช่ LINE ID"),
    ],
)
def test_other_oa_ids_are_refused_saying_why(typed: str, said: str) -> None:
    with pytest.raises(RefusedError) as caught:
        check_oa_id(typed)
    assert caught.value.code == "bad_oa_id" and said in caught.value.th


@pytest.mark.parametrize(
    "link",
    [
        "https://line.me/R/ti/p/%40rayongfightcovid",
        "https://line.me/R/ti/p/@rayongfightcovid",
        "https://lin.ee/AbC12xy",
        "",
    ],
)
def test_add_friend_links_line_gives(link: str) -> None:
    assert check_add_friend_url(link, "@rayongfightcovid") == link


@pytest.mark.parametrize(
    ("link", "code", "said"),
    [
        ("@rayongfightcovid", "bad_add_friend_url", "ช่อง LINE ID"),  # typed in the wrong box
        ("http://line.me/R/ti/p/%40rayongfightcovid", "bad_add_friend_url", "https://line.me"),
        ("https://line.me/ti/p/rayong", "bad_add_friend_url", "https://line.me"),
        ("https://example.com/R/ti/p/%40rayongfightcovid", "bad_add_friend_url", "lin.ee"),
        ("https://lin.ee/", "bad_add_friend_url", "lin.ee"),
        ("https://line.me/R/ti/p/~someone", "bad_add_friend_url", "ไม่มี LINE ID"),
        ("https://line.me/R/ti/p/%40otheroa", "link_disagrees", "@otheroa"),
    ],
)
def test_other_links_are_refused_saying_why(link: str, code: str, said: str) -> None:
    with pytest.raises(RefusedError) as caught:
        check_add_friend_url(link, "@rayongfightcovid")
    assert (caught.value.code, said in caught.value.th) == (code, True)


def test_the_id_a_link_names() -> None:
    assert link_oa_id("https://line.me/R/ti/p/%40Desk-Test-OA") == "@desk-test-oa"
    assert link_oa_id("https://lin.ee/AbC12xy") is None
