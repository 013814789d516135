"""site_builder/jsonld.py: a course page's schema.org Course and its runs, read
back from the built page with a JSON parser."""

from __future__ import annotations

import json
import re

SITE_URL = "https://catalog.example.org/"  # mkdocs.yml site_url


def test_course_page_json_ld(built_site):
    html = (built_site / "zh/courses/optical-fiber-communication/index.html").read_text(encoding="utf-8")
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    data = json.loads(blocks[0])
    assert data["@type"] == "Course" and data["courseCode"] == "OPT-201"
    assert data["name"] == "光纤通信技术"
    assert data["inLanguage"] == ["zh", "en"]
    assert data["provider"]["name"] == "重庆电子科技职业大学"
    assert data["educationalLevel"] == "高级"
    assert len(data["teaches"]) == 5
    assert data["coursePrerequisites"] == [{
        "@type": "Course", "courseCode": "OPT-101", "name": "光电技术（世界技能大赛标准）",
        "url": SITE_URL + "zh/courses/photonics-technology/"}]
    # One instance per upcoming run (tests/test_offerings.py reads them in detail).
    assert [i["startDate"] for i in data["hasCourseInstance"]] == ["2027-03-08", "2027-06-07", "2027-09-06"]
    assert {i["courseWorkload"] for i in data["hasCourseInstance"]} == {"PT96H"}
    assert data["url"] == SITE_URL + "zh/courses/optical-fiber-communication/"


def test_course_jsonld_has_an_instance_per_upcoming_offering(built_site):
    html = (built_site / "courses/photonics-technology/index.html").read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    instances = data["hasCourseInstance"]
    assert [i["startDate"] for i in instances] == ["2027-03-08", "2027-06-07", "2027-09-06"]  # not cancelled, not past
    first = instances[0]
    assert first["endDate"] == "2027-04-16" and first["courseMode"] == "Blended"
    assert first["inLanguage"] == ["zh", "en"]
    assert first["location"]["address"] == {"@type": "PostalAddress", "addressLocality": "Chongqing",
                                            "addressCountry": "CN"}
    # How to apply, as the page's numbered list says it (site_builder/applications.py).
    steps = first["offers"].pop("description").split("\n")
    assert steps[0].startswith("1. Documents to prepare: A copy of your passport")
    assert steps[3].startswith("4. Selection: ") and steps[3].endswith("You will have an answer by 26 Feb 2027.")
    assert steps[4] == "5. Accept the place by e-mail within 10 days of the offer."
    assert steps[5] == ("Visa: If you are offered a place, you will receive an invitation letter for your visa "
                        "application; allow at least 5 weeks for the visa.")
    assert data["financialAidEligible"] == ["Scholarship", "Paid by a sponsor"]
    assert first["offers"] == {"@type": "Offer", "category": "Paid", "price": "5200", "priceCurrency": "CNY",
                               "validThrough": "2027-02-05",
                               "url": "https://example.org/apply/photonics-technology/2027-03-chongqing",
                               "availability": "https://schema.org/InStock"}
    assert instances[2]["offers"]["price"] == "0" and "priceCurrency" not in instances[2]["offers"]
