"""Benchmark: record linkage (thb/linkage) on synthetic persons with planted duplicates.

    .venv/bin/python benchmarks/linkage.py --records 1000000
    .venv/bin/python benchmarks/linkage.py --records 100000 --duplicates 5000

Generates N person records (default 1 000 000), of which --duplicates (default 5 %)
are a second record of an earlier person at another institution, each with one kind
of variation: the name in another spelling (Latvian / Russian in Cyrillic / English
transliteration), a typing error in a name, the names in swapped order, or a
transliteration with a typing error; some duplicates lack the personal code or the
date of birth. Every record is keyed by the same code as a stored identity
(thb.linkage.keys.Keyer, the profile's rewrites, a random HMAC key) and linked by the
same code as `thb linkage run` (thb.linkage.engine.link, Splink on DuckDB). Prints
the time and CPU time of keying and of linkage, the pairs compared, and precision and
recall of the pairs at the profile's threshold (or --threshold), overall and by kind
of variation. Nothing is written to a database.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# Canonical names in Cyrillic (Russian speakers) and Latvian spelling.
RU_GIVEN_F = [
    "Наталья",
    "Екатерина",
    "Юлия",
    "Ольга",
    "Татьяна",
    "Светлана",
    "Ирина",
    "Елена",
    "Анастасия",
    "Мария",
    "Анна",
    "Людмила",
    "Галина",
    "Оксана",
    "Ксения",
    "Дарья",
    "Виктория",
    "Алёна",
    "Надежда",
    "Валентина",
    "Жанна",
    "Евгения",
]
RU_GIVEN_M = [
    "Сергей",
    "Алексей",
    "Юрий",
    "Андрей",
    "Дмитрий",
    "Владимир",
    "Николай",
    "Михаил",
    "Игорь",
    "Олег",
    "Виктор",
    "Евгений",
    "Артём",
    "Максим",
    "Павел",
    "Роман",
    "Константин",
    "Вячеслав",
    "Григорий",
    "Фёдор",
    "Виталий",
    "Илья",
]
RU_STEMS = [
    "Иванов",
    "Петров",
    "Смирнов",
    "Кузнецов",
    "Попов",
    "Соколов",
    "Лебедев",
    "Козлов",
    "Новиков",
    "Морозов",
    "Волков",
    "Соловьёв",
    "Васильев",
    "Зайцев",
    "Павлов",
    "Семёнов",
    "Голубев",
    "Виноградов",
    "Богданов",
    "Воробьёв",
    "Фёдоров",
    "Михайлов",
    "Беляев",
    "Тарасов",
    "Белов",
    "Комаров",
    "Орлов",
    "Киселёв",
    "Макаров",
    "Андреев",
    "Ковалёв",
    "Ильин",
    "Гусев",
    "Титов",
    "Кузьмин",
    "Кудрявцев",
    "Баранов",
    "Куликов",
    "Алексеев",
    "Степанов",
    "Яковлев",
    "Сорокин",
    "Сергеев",
    "Романов",
    "Захаров",
    "Борисов",
    "Королёв",
    "Герасимов",
    "Пономарёв",
    "Григорьев",
    "Лазарев",
    "Медведев",
    "Ершов",
    "Никитин",
    "Соболев",
    "Рябов",
    "Поляков",
    "Цветков",
    "Данилов",
    "Жуков",
    "Фролов",
    "Журавлёв",
    "Николаев",
    "Крылов",
    "Максимов",
    "Сидоров",
    "Осипов",
    "Белоусов",
    "Федотов",
    "Дорофеев",
    "Егоров",
    "Матвеев",
    "Бобров",
    "Дмитриев",
    "Калинин",
    "Анисимов",
    "Петухов",
    "Антонов",
    "Тимофеев",
    "Никифоров",
    "Веселов",
    "Филиппов",
    "Марков",
    "Большаков",
    "Суханов",
    "Миронов",
    "Ширяев",
    "Александров",
    "Коновалов",
    "Шестаков",
    "Казаков",
    "Ефимов",
    "Денисов",
    "Громов",
    "Фомин",
    "Давыдов",
    "Мельников",
    "Щербаков",
    "Блинов",
    "Колесников",
    "Карпов",
    "Афанасьев",
    "Власов",
    "Маслов",
    "Исаков",
    "Тихонов",
    "Аксёнов",
    "Гаврилов",
    "Родионов",
    "Котов",
    "Горбунов",
    "Кудряшов",
    "Быков",
    "Зуев",
    "Третьяков",
    "Савельев",
    "Панов",
    "Рыбаков",
    "Суворов",
    "Абрамов",
    "Воронов",
    "Мухин",
    "Архипов",
    "Трофимов",
    "Мартынов",
    "Емельянов",
    "Горшков",
    "Чернов",
    "Овчинников",
    "Селезнёв",
    "Панфилов",
    "Копылов",
    "Михеев",
    "Галкин",
    "Назаров",
    "Лобанов",
    "Лукин",
    "Беляков",
    "Потапов",
    "Некрасов",
    "Хохлов",
    "Жданов",
    "Наумов",
    "Шилов",
    "Воронцов",
    "Ермаков",
    "Дроздов",
    "Игнатьев",
    "Савин",
    "Логинов",
    "Сафонов",
    "Капустин",
    "Кириллов",
    "Моисеев",
    "Елисеев",
    "Кошелев",
    "Костин",
    "Горбачёв",
    "Орехов",
    "Ефремов",
    "Исаев",
    "Евдокимов",
    "Калашников",
    "Кабанов",
    "Носков",
    "Юдин",
    "Кулагин",
    "Лапин",
    "Прохоров",
    "Нестеров",
    "Харитонов",
    "Агафонов",
    "Муравьёв",
    "Ларионов",
    "Федосеев",
    "Зимин",
    "Пахомов",
    "Шубин",
    "Игнатов",
    "Филатов",
    "Крюков",
    "Рогов",
    "Кулаков",
    "Терентьев",
    "Молчанов",
    "Владимиров",
    "Артемьев",
    "Гурьев",
    "Зиновьев",
    "Гришин",
    "Кононов",
    "Дементьев",
    "Ситников",
    "Симонов",
    "Мишин",
    "Фадеев",
    "Комиссаров",
    "Мамонтов",
    "Носов",
    "Гуляев",
    "Шаров",
    "Устинов",
    "Вишняков",
    "Евсеев",
    "Лаврентьев",
    "Брагин",
    "Константинов",
    "Корнилов",
    "Авдеев",
    "Зыков",
    "Бирюков",
    "Шарапов",
    "Никонов",
    "Щукин",
    "Дьячков",
    "Одинцов",
    "Сазонов",
    "Якушев",
    "Красильников",
    "Гордеев",
    "Самойлов",
    "Князев",
    "Беспалов",
    "Уваров",
    "Шашков",
    "Бобылёв",
    "Доронин",
    "Белозёров",
    "Рожков",
    "Самсонов",
    "Мясников",
    "Лихачёв",
    "Буров",
    "Сысоев",
    "Фомичёв",
    "Русаков",
    "Стрелков",
    "Гущин",
    "Тетерин",
    "Колобов",
    "Субботин",
    "Фокин",
    "Блохин",
    "Селиверстов",
    "Пестов",
    "Кондратьев",
    "Силин",
    "Меркушев",
    "Лыткин",
    "Туров",
]
LV_GIVEN_F = [
    "Anna",
    "Marija",
    "Kristīne",
    "Inese",
    "Ilze",
    "Līga",
    "Dace",
    "Sandra",
    "Laura",
    "Linda",
    "Anita",
    "Ieva",
    "Elīna",
    "Santa",
    "Zane",
    "Agnese",
    "Evija",
    "Baiba",
    "Gunta",
    "Jolanta",
    "Vija",
    "Rasma",
    "Aija",
    "Dzintra",
    "Inga",
    "Madara",
    "Sintija",
    "Katrīna",
    "Dārta",
    "Alise",
    "Paula",
    "Elza",
    "Beāte",
    "Ginta",
    "Ligita",
    "Sarmīte",
    "Zaiga",
    "Solvita",
]
LV_GIVEN_M = [
    "Jānis",
    "Andris",
    "Juris",
    "Edgars",
    "Māris",
    "Aivars",
    "Guntis",
    "Ivars",
    "Kārlis",
    "Roberts",
    "Artūrs",
    "Mārtiņš",
    "Raivis",
    "Kristaps",
    "Rihards",
    "Gints",
    "Valdis",
    "Uldis",
    "Aigars",
    "Normunds",
    "Ainārs",
    "Arnis",
    "Didzis",
    "Egils",
    "Gatis",
    "Ģirts",
    "Harijs",
    "Indulis",
    "Krišjānis",
    "Linards",
    "Oskars",
    "Pēteris",
    "Reinis",
]
LV_STEMS = [
    "Bērziņ",
    "Kalniņ",
    "Ozoliņ",
    "Jansons",
    "Ozols",
    "Liepiņ",
    "Krūmiņ",
    "Balodis",
    "Eglīt",
    "Zariņ",
    "Pētersons",
    "Vītol",
    "Kļaviņ",
    "Kārkliņ",
    "Vanag",
    "Jurševsk",
    "Kalnin",
    "Lāc",
    "Strazd",
    "Zvaigzn",
    "Siliņ",
    "Grīnberg",
    "Āboliņ",
    "Priede",
    "Dūmiņ",
    "Sproģ",
    "Celmiņ",
    "Rozīt",
    "Bite",
    "Kļav",
    "Lapiņ",
    "Gailīt",
    "Roze",
    "Auziņ",
    "Cīrul",
    "Avotiņ",
    "Dreimaņ",
    "Apsīt",
    "Zālīt",
    "Ziemel",
    "Kronberg",
    "Meier",
    "Upīt",
    "Vilks",
    "Lūsis",
    "Briedis",
    "Cauna",
    "Zīle",
    "Ābel",
    "Purmal",
    "Ošiņ",
    "Sauliet",
    "Mežal",
    "Kauliņ",
    "Pumpur",
    "Krastiņ",
    "Rudzīt",
    "Baltiņ",
    "Skujiņ",
]

# Cyrillic to Latvian spelling and to English (BGN-like) transliteration.
TO_LV = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "jo",
            "ž",
            "z",
            "i",
            "j",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "h",
            "c",
            "č",
            "š",
            "šč",
            "_",
            "i",
            "_",
            "e",
            "ju",
            "ja",
        ],
        strict=True,
    )
)
TO_EN = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "yo",
            "zh",
            "z",
            "i",
            "y",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "shch",
            "_",
            "y",
            "_",
            "e",
            "yu",
            "ya",
        ],
        strict=True,
    )
)


def translit(text: str, table: dict[str, str], masculine_s: bool) -> str:
    out = []
    for word in text.split():
        letters = []
        for ch in word:
            low = ch.lower()
            rep = table.get(low, low)
            rep = "" if rep == "_" else rep
            letters.append(rep.capitalize() if ch.isupper() else rep)
        spelled = "".join(letters)
        if table is TO_EN and spelled.endswith(("iy", "yy")):
            spelled = spelled[:-2] + "y"  # Yuriy -> Yury, as often written
        if masculine_s and spelled[-1:] not in ("a", "e", "s"):
            spelled += "s"
        out.append(spelled)
    return " ".join(out)


def surname_of(stem: str, female: bool, cyrillic: bool) -> str:
    if cyrillic:
        return stem + "а" if female else stem
    if stem.endswith("ņ"):
        return stem + ("a" if female else "š")
    if stem.endswith(("s", "is")) or stem[-1] in "ae":
        return stem[:-1] + "a" if (female and stem.endswith("s")) else stem
    return stem + ("a" if female else "s")


def typo(rng: random.Random, text: str) -> str:
    letters = list(text)
    positions = [i for i, ch in enumerate(letters) if ch.isalpha()]
    if len(positions) < 3:
        return text
    i = rng.choice(positions[1:])
    kind = rng.randrange(4)
    if kind == 0:
        letters[i] = rng.choice("aeioulnrstkmv")
    elif kind == 1:
        del letters[i]
    elif kind == 2:
        letters.insert(i, rng.choice("aeioulnrst"))
    elif i + 1 < len(letters) and letters[i + 1].isalpha():
        letters[i], letters[i + 1] = letters[i + 1], letters[i]
    else:
        letters[i] = rng.choice("aeioulnrst")
    return "".join(letters)


def personal_code(rng: random.Random, born: date) -> str:
    return f"{born:%d%m%y}-{rng.randrange(10**5):05d}"


def generate(n: int, duplicates: int, institutions: int, seed: int):
    """(records, truth, kinds): records as (given, surname, born, code, institution);
    truth maps the duplicate's index to the original's; kinds the duplicate's variation."""
    rng = random.Random(seed)
    originals = n - duplicates
    people = []  # (cyrillic given, cyrillic surname) or latvian, plus sex
    records = []
    start = date(1940, 1, 1)
    for _ in range(originals):
        female = rng.random() < 0.6
        russian = rng.random() < 0.4
        if russian:
            given = rng.choice(RU_GIVEN_F if female else RU_GIVEN_M)
            surname = surname_of(rng.choice(RU_STEMS), female, True)
        else:
            given = rng.choice(LV_GIVEN_F if female else LV_GIVEN_M)
            surname = surname_of(rng.choice(LV_STEMS), female, False)
        if rng.random() < 0.15:  # a second given name
            given += " " + rng.choice(
                (RU_GIVEN_F if female else RU_GIVEN_M)
                if russian
                else (LV_GIVEN_F if female else LV_GIVEN_M)
            )
        born = start + timedelta(days=rng.randrange(365 * 65))
        shown_given, shown_surname = given, surname
        if russian:  # recorded in Cyrillic, in Latvian or in English spelling
            form = rng.random()
            if form < 0.6:
                table = TO_LV
            elif form < 0.85:
                table = TO_EN
            else:
                table = None
            if table is not None:
                shown_given = translit(given, table, table is TO_LV and not female)
                shown_surname = translit(surname, table, table is TO_LV and not female)
        code = personal_code(rng, born) if rng.random() < (0.4 if russian else 0.8) else ""
        people.append((given, surname, russian, female))
        records.append((shown_given, shown_surname, born, code, rng.randrange(institutions)))
    truth: dict[int, int] = {}
    kinds: dict[int, str] = {}
    for _ in range(duplicates):
        source = rng.randrange(originals)
        given, surname, born, code, institution = records[source]
        canonical_given, canonical_surname, russian, female = people[source]
        roll = rng.random()
        if roll < 0.35:
            kind = "transliteration"
            if russian:
                table = rng.choice((TO_LV, TO_EN, None))
                if table is None:
                    given, surname = canonical_given, canonical_surname
                else:
                    masc = table is TO_LV and not female
                    given = translit(canonical_given, table, masc)
                    surname = translit(canonical_surname, table, masc)
            else:  # a Latvian name written without diacritics, or in Cyrillic
                given = given.translate(
                    str.maketrans("āēīūčšžņļķģĀĒĪŪČŠŽŅĻĶĢ", "aeiucsznlkgAEIUCSZNLKG")
                )
                surname = surname.translate(
                    str.maketrans("āēīūčšžņļķģĀĒĪŪČŠŽŅĻĶĢ", "aeiucsznlkgAEIUCSZNLKG")
                )
        elif roll < 0.70:
            kind = "typo"
            if rng.random() < 0.5:
                given = typo(rng, given)
            else:
                surname = typo(rng, surname)
        elif roll < 0.90:
            kind = "swapped"
            given, surname = surname, given
        else:
            kind = "transliteration+typo"
            if russian:
                masc = not female
                given = translit(canonical_given, TO_EN, False)
                surname = translit(canonical_surname, TO_LV, masc)
            surname = typo(rng, surname)
        if rng.random() < 0.4:
            code = ""
        if rng.random() < 0.05:
            born = None
        other = rng.randrange(institutions - 1)
        other = other + 1 if other >= institution else other
        truth[len(records)] = source
        kinds[len(records)] = kind
        records.append((given, surname, born, code, other))
    return records, truth, kinds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--duplicates", type=int, default=None, help="default 5 %% of records")
    parser.add_argument("--institutions", type=int, default=25)
    parser.add_argument("--threshold", type=float, default=None)
    parser.add_argument(
        "--also",
        type=float,
        nargs="*",
        default=[0.5, 0.7],
        help="further thresholds to report precision and recall at",
    )
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--seed", type=int, default=2020)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thb.settings")
    import django

    django.setup()
    import pyarrow as pa

    from thb.linkage.engine import link
    from thb.linkage.keys import KEY_NAMES, Keyer, Rewrite
    from thb.profiles import get_profile

    section = get_profile().linkage
    threshold = args.threshold if args.threshold is not None else section.threshold
    duplicates = args.duplicates if args.duplicates is not None else args.records // 20
    t0 = time.perf_counter()
    records, truth, kinds = generate(args.records, duplicates, args.institutions, args.seed)
    print(
        f"generated {len(records):,} records ({duplicates:,} planted duplicates) "
        f"in {time.perf_counter() - t0:.1f} s"
    )

    keyer = Keyer(os.urandom(32), [Rewrite(r.pattern, r.replace) for r in section.name_rewrites])
    t0, c0 = time.perf_counter(), time.process_time()
    columns: dict[str, list] = {name: [] for name in KEY_NAMES}
    for given, surname, born, code, _inst in records:
        for name, value in keyer.keys(given, surname, born, code).items():
            columns[name].append(value)
    table = pa.table(
        {
            "unique_id": pa.array(range(len(records)), pa.int64()),
            "institution_id": pa.array([r[4] for r in records], pa.int64()),
            **{name: pa.array(values, pa.string()) for name, values in columns.items()},
        }
    )
    del columns
    print(f"keyed in {time.perf_counter() - t0:.1f} s (CPU {time.process_time() - c0:.1f} s)")

    lowest = min([threshold, *args.also])
    result = link(
        table,
        threshold=lowest,
        duplicate_share=section.expected_duplicate_share,
        threads=args.threads,
    )
    planted = {(min(d, s), max(d, s)) for d, s in truth.items()}
    # A pair of two duplicates of one person is a true match too.
    person = {i: truth.get(i, i) for i in range(len(records))}
    print(
        f"linkage: {result.records:,} records, {result.pairs_compared:,} pairs compared, "
        f"{len(result.pairs):,} pairs at threshold {lowest}"
    )
    print(
        f"linkage time {result.seconds:.1f} s (CPU {result.cpu_seconds:.1f} s), "
        f"u {'estimated by random sampling' if result.u_estimated else 'defaults'}"
    )
    for cut in sorted({threshold, *args.also}, reverse=True):
        found = {(p.left, p.right) for p in result.pairs if p.probability >= cut}
        true_found = sum(1 for a, b in found if person[a] == person[b])
        precision = true_found / len(found) if found else 1.0
        recall = len(found & planted) / len(planted) if planted else 1.0
        chosen = " (the profile's threshold)" if cut == section.threshold else ""
        print(
            f"threshold {cut}{chosen}: {len(found):,} pairs, "
            f"precision {precision:.4f}  recall {recall:.4f}"
        )
        by_kind = Counter(kinds.values())
        hit = Counter(kinds[d] for d, s in truth.items() if (min(d, s), max(d, s)) in found)
        for kind, total in sorted(by_kind.items()):
            print(f"  recall {kind:<22} {hit[kind] / total:.4f}  ({hit[kind]:,} of {total:,})")


if __name__ == "__main__":
    main()
