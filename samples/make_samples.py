#!/usr/bin/python3
"""Writes the bundled samples of ftprep from templates (no third-party text; deterministic: seed 7).

    /usr/bin/python3 samples/make_samples.py [--generics-rows N]

The outputs are committed; rerun only to change them. Each file is deliberately messy in the ways real
exports are (duplicates, stray whitespace, empty cells, capitalised headers, curly quotes, Windows line ends).
"""
import argparse, csv, io, json, os, random

HERE = os.path.dirname(os.path.abspath(__file__))
R = random.Random(7)

# ---- 1. GenericsKB-like TSV: id, source, term, quantifier, sentence, score -------------------------------
KINDS = {
    "animal": ["dogs", "cats", "horses", "owls", "frogs", "bees", "whales", "foxes", "sparrows", "turtles",
               "rabbits", "salmon", "ants", "bats", "deer", "wolves", "penguins", "snails", "crows", "goats",
               "otters", "beavers", "eagles", "lizards", "moles", "squirrels", "geese", "herons", "badgers",
               "seals", "camels", "parrots", "hedgehogs", "toads", "dolphins", "moths", "spiders", "swans"],
    "plant": ["oaks", "ferns", "cacti", "roses", "mosses", "bamboos", "sunflowers", "pines", "tulips", "vines",
              "willows", "daisies", "lilies", "birches", "reeds", "orchids", "maples", "clovers"],
    "object": ["hammers", "bicycles", "kettles", "violins", "bridges", "lamps", "umbrellas", "clocks", "ropes",
               "ladders", "compasses", "telescopes", "candles", "mirrors", "keys", "tents", "boots", "anchors",
               "pianos", "wheelbarrows", "scissors", "lanterns"],
    "material": ["iron", "glass", "copper", "wool", "clay", "granite", "rubber", "salt", "wax", "silk",
                 "marble", "cotton", "steel", "leather", "sand", "tin", "bronze", "linen"],
}
PROPS = {
    "animal": ["have four legs", "eat insects", "live in groups", "sleep during the day", "migrate in winter",
               "build nests", "hunt at night", "communicate with sounds", "can swim", "lay eggs",
               "have a keen sense of smell", "store food for winter", "shed their fur in spring",
               "defend their territory", "care for their young", "live near water", "eat seeds",
               "travel long distances", "avoid people", "are active at dawn", "live for many years",
               "rest in the shade"],
    "plant": ["need sunlight", "grow in shade", "produce seeds", "lose their leaves in autumn",
              "store water in their stems", "attract pollinators", "have deep roots", "grow quickly",
              "need little water", "flower in spring", "grow near rivers", "survive frost"],
    "object": ["are made of metal", "need regular maintenance", "are used outdoors", "can break if dropped",
               "have moving parts", "are found in most homes", "are sold in hardware stores", "last for years",
               "are carried by hand", "are used by craftspeople", "come in many sizes", "are easy to repair"],
    "material": ["conducts heat", "can be recycled", "melts at high temperatures", "is found in nature",
                 "is used in construction", "resists water", "can be stretched", "is mined from the ground",
                 "is used to make tools", "was traded in ancient times", "can be dyed", "wears down slowly"],
}
# Where or when a generic holds: GenericsKB sentences often carry such a qualifier.
WHERE = {
    "animal": ["in the wild", "in cold regions", "in warm regions", "in spring", "in summer", "in autumn",
               "on farms", "in forests", "in cities", "near the coast", "in the mountains"],
    "plant": ["in the wild", "in cold regions", "in warm regions", "in gardens", "in forests", "in spring",
              "near rivers", "on hillsides", "in dry soil", "in pots"],
    "object": ["in the kitchen", "on building sites", "at sea", "in workshops", "in schools", "in old houses",
               "on farms", "in museums", "in shops", "in cities"],
    "material": ["in the kitchen", "on building sites", "at sea", "in workshops", "in old houses", "in art",
                 "in industry", "in clothing", "in jewellery", "in cold climates"],
}
QUANT = ["", "", "", "most", "some", "all", "many", "few"]
SOURCES = ["Waterloo", "SimpleWikipedia", "ARC", "TupleKB", "Waterloo", "Waterloo"]


def improve(sentence):
    """What a teacher model might answer to "Improve the sentence: ..." (deterministic stand-in)."""
    s = sentence.strip()
    if not s:
        return ""
    for filler in (", which is well known", ", which is often observed", ", which is widely reported"):
        s = s.replace(filler, "")
    words = s.rstrip(".").split(" ")
    starts = ["In general, ", "Typically, ", "As a rule, ", "", ""]
    body = " ".join(words)
    if words[0].lower() in ("most", "some", "all", "many", "few"):
        return body + "."
    return R.choice(starts) + (body[0].lower() + body[1:] if R.random() < 0.6 else body) + "."


def teacher_outputs(tsv_text):
    """JSONL of (prompt, completion) pairs as a batch run against the teacher returned them, with the mess
    such runs have: stray whitespace, empty answers and refusals."""
    lines = []
    for row in csv.DictReader(io.StringIO(tsv_text), delimiter="\t"):
        if not row["sentence"].strip():
            continue
        prompt = "Improve the sentence: " + row["sentence"]
        c = improve(row["sentence"])
        r = R.random()
        if r < 0.015:
            c = ""
        elif r < 0.03:
            c = R.choice(["I'm sorry, but I can't help with that.",
                          "As an AI language model, I cannot rewrite this sentence."])
        elif r < 0.07:
            c = "\n" + c + "  "
        lines.append(json.dumps({"id": row["id"], "prompt": prompt, "completion": c}, ensure_ascii=False))
    return "\n".join(lines) + "\n"


def generics(rows):
    out = io.StringIO()
    w = csv.writer(out, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(["id", "source", "term", "quantifier", "sentence", "score"])
    seen = []
    for i in range(rows):
        kind = R.choice(list(KINDS))
        term = R.choice(KINDS[kind])
        prop = R.choice(PROPS[kind])
        q = R.choice(QUANT)
        where = "" if R.random() < 0.15 else " " + R.choice(WHERE[kind])
        if kind == "material" or not q:
            s = f"{term.capitalize()} {prop}{where}."
        else:
            s = f"{q.capitalize()} {term} {prop}{where}."
        r = R.random()
        if r < 0.03 and seen:
            s = R.choice(seen)                      # exact duplicate
        elif r < 0.05:
            s = "  " + s + " "                      # stray whitespace
        elif r < 0.06:
            s = s.replace("'", "\u2019")
        elif r < 0.065:
            s = ""                                  # empty cell
        elif r < 0.08:
            s = s[:-1] + ", which is " + R.choice(["well known", "often observed", "widely reported"]) + "."
        seen.append(s)
        w.writerow([f"gkb-{i:06d}", R.choice(SOURCES), term, q, s, f"{R.uniform(0.2, 1.0):.4f}"])
    return out.getvalue()


# ---- 2. children's stories (plain text, paragraphs) -----------------------------------------------------
HEROES = ["a small hedgehog named Pip", "a curious girl called Mira", "an old tortoise named Basil",
          "a brave mouse called Tilly", "a clumsy dragon named Fennel", "a shy fox called Juniper",
          "a cheerful robot named Bolt", "a young otter called Ripple", "a sleepy bear named Bramble",
          "a tiny snail called Dot"]
PLACES = ["at the edge of the Whispering Wood", "in a village by the sea", "beneath the Crooked Hill",
          "on a farm full of sunflowers", "in a city of tall chimneys", "beside a frozen lake",
          "in a garden behind the bakery", "on an island shaped like a teacup"]
WANTS = ["to see the stars up close", "to find the lost silver bell", "to bake the biggest pie in the land",
         "to learn how to whistle", "to make a friend who was not afraid of thunder",
         "to reach the top of the lighthouse", "to mend the broken bridge", "to win the autumn kite race"]
HELPERS = ["a wise owl", "a grumpy badger", "a kind baker", "a chattering squirrel", "a lost puppy",
           "a travelling musician", "a patient grandmother", "a family of ducks"]
PROBLEMS = ["a storm rolled in over the hills", "the path was blocked by a fallen tree",
            "the map blew away in the wind", "night fell sooner than expected", "the river had risen",
            "everyone said it could not be done", "a fox had taken the only lantern", "the old key would not turn"]
LESSONS = ["being brave does not mean never being scared", "friends make every road shorter",
           "patience can open doors that strength cannot", "sharing makes small things feel big",
           "asking for help is a clever thing to do", "mistakes are how we learn to do better"]


def sentence_block(parts):
    return " ".join(parts)


def story(n):
    hero, place, want = R.choice(HEROES), R.choice(PLACES), R.choice(WANTS)
    helper, problem, lesson = R.choice(HELPERS), R.choice(PROBLEMS), R.choice(LESSONS)
    name = hero.split()[-1]
    paras = [
        f"Story {n}: {name} and the {R.choice(['Long', 'Quiet', 'Golden', 'Windy', 'Secret', 'Starry'])} "
        f"{R.choice(['Night', 'Journey', 'Morning', 'Promise', 'Path', 'Surprise'])}",
        sentence_block([f"Once upon a time, {place}, there lived {hero}.",
                        f"More than anything, {name} wanted {want}.",
                        R.choice(["Every evening", "Every morning", "Whenever the bells rang"]) +
                        f", {name} would sit by the window and dream about it."]),
        sentence_block([f"One day, {name} decided that dreaming was not enough.",
                        f"{name} packed a small bag with {R.choice(['bread and cheese', 'three apples', 'a warm scarf', 'a notebook and a pencil'])}",
                        f"and set off {R.choice(['before sunrise', 'after lunch', 'as the clouds gathered'])}."]),
        sentence_block([f"But {problem}.", f"{name} felt {R.choice(['worried', 'small', 'tired', 'cross', 'frightened'])}",
                        f"and almost turned back.", f"Just then, {helper} appeared.",
                        f"\u201cWhere are you going?\u201d asked the {helper.split()[-1]}.",
                        f"\u201cI want {want},\u201d said {name}, \u201cbut I do not know how.\u201d"]),
        sentence_block([f"Together they {R.choice(['climbed', 'walked', 'searched', 'waited', 'worked'])} for a long time.",
                        R.choice(["They sang songs to keep their spirits up.", "They took turns carrying the bag.",
                                  "They counted the fence posts as they went.", "They told each other jokes."]),
                        f"At last, {name} managed it, and the {helper.split()[-1]} cheered."]),
        sentence_block([f"When {name} came home, everyone wanted to hear the story.",
                        f"And {name} told them that {lesson}.", "The end."]),
    ]
    return "\n\n".join(paras)


def stories(count):
    return "\n\n\n".join(story(i + 1) for i in range(count)) + "\n"


# ---- 3. questions (one per line) and teacher answers ---------------------------------------------------
TOPICS = [("photosynthesis", "Plants turn light, water and carbon dioxide into sugar and oxygen."),
          ("the water cycle", "Water evaporates, condenses into clouds and falls again as rain or snow."),
          ("fractions", "A fraction names a part of a whole: the bottom number says how many equal parts."),
          ("gravity", "Gravity is the pull between masses; Earth's pulls everything towards its centre."),
          ("volcanoes", "A volcano is an opening where molten rock, gas and ash escape from inside the Earth."),
          ("the heart", "The heart is a muscle that pumps blood around the body through arteries and veins."),
          ("magnets", "Magnets attract iron and have two poles; like poles repel and unlike poles attract."),
          ("erosion", "Erosion is the wearing away of rock and soil by water, wind and ice."),
          ("prime numbers", "A prime number has exactly two divisors: 1 and itself."),
          ("the moon's phases", "The moon's phases come from how much of its sunlit side we see as it orbits us.")]
ASK = ["What is {t}?", "Can you explain {t} simply?", "Why does {t} matter?", "How would you describe {t} to a child?",
       "Give me one fact about {t}.", "What is the most common mistake people make about {t}?"]


def qa():
    qs, answers = [], []
    for t, base in TOPICS:
        for a in ASK:
            q = a.format(t=t)
            qs.append(q)
            extra = R.choice(["", " A simple example helps: think of something you see every day.",
                              " Teachers often draw a diagram to show it.", ""])
            ans = base + extra
            if R.random() < 0.05:
                ans = "As an AI language model, I cannot answer that."
            if R.random() < 0.04:
                ans = "   " + ans + "  "
            answers.append({"question": q, "answer": ans})
    # a duplicated question with another answer, as teacher runs produce
    answers.append({"question": qs[3], "answer": TOPICS[0][1]})
    return "\n".join(qs) + "\n", "".join(json.dumps(a, ensure_ascii=False) + "\n" for a in answers)


# ---- 4. prompt/completion spreadsheet with classic problems --------------------------------------------
def support_rows():
    issues = [("My order has not arrived", "shipping"), ("I was charged twice", "billing"),
              ("The app crashes when I log in", "technical"), ("How do I change my address?", "account"),
              ("The parcel arrived damaged", "shipping"), ("I want a refund", "billing"),
              ("I cannot reset my password", "account"), ("The screen stays black", "technical")]
    rows = []
    for i in range(240):
        text, label = R.choice(issues)
        text = f"Ticket #{1000 + i}: {text}" + R.choice(["", ".", "!", " please help", " - urgent"])
        if R.random() < 0.1:
            text = text.upper()
        rows.append([f"Classify the support ticket into a category.\n\nTicket: {text}", f"Category: {label}",
                     R.choice(["web", "email", "phone"]), f"agent{R.randint(1, 9)}"])
    rows[5][1] = ""                    # empty completion
    rows[17] = list(rows[3])           # duplicate
    rows[40][1] = "NA"                 # the literal text NA is text, not a missing value
    return ["Prompt", "Completion", "channel", "agent"], rows


# ---- 5. prompt/joke pairs for weighted text lists ------------------------------------------------------
JOKE_SUBJ = ["a tomato", "a skeleton", "a calendar", "a scarecrow", "a pencil", "an octopus", "a cloud",
             "a snowman", "a bicycle", "a computer"]


def jokes():
    rows = []
    punch = {"a tomato": "It saw the salad dressing.", "a skeleton": "It had no body to go with.",
             "a calendar": "Its days were numbered.", "a scarecrow": "It was outstanding in its field.",
             "a pencil": "It had no point.", "an octopus": "It had eight good reasons.",
             "a cloud": "It was feeling under the weather.", "a snowman": "It had a meltdown.",
             "a bicycle": "It was two tired.", "a computer": "It had too many tabs open."}
    for s in JOKE_SUBJ:
        for setup in ["Why was {s} so calm?", "Why did {s} stay home?", "What did {s} say at the party?",
                      "Why was {s} late?", "Why did {s} blush?"]:
            rows.append({"prompt": "Tell me a joke about " + s.split()[-1] + ".", "joke": setup.format(s=s) + " " + punch[s]})
    return rows


def write(path, text, newline="\n"):
    full = os.path.join(HERE, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w", encoding="utf-8", newline=newline) as f:
        f.write(text)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--generics-rows", type=int, default=6000)
    args = ap.parse_args()
    tsv = generics(args.generics_rows)
    write("generics/generics.tsv", tsv)
    write("generics/teacher_outputs.jsonl", teacher_outputs(tsv))
    write("stories/stories.txt", stories(420))
    q, a = qa()
    write("qa/questions.txt", q)
    write("qa/answers.jsonl", a)
    header, rows = support_rows()
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    w.writerows(rows)
    write("prepare/support_tickets.csv", "\ufeff" + buf.getvalue(), newline="")
    try:
        import openpyxl
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "Tickets"
        ws.append(header)
        for r in rows:
            ws.append(r)
        notes = wb.create_sheet("Notes")
        notes.append(["Exported from the helpdesk on 2026-11-02"])
        wb.save(os.path.join(HERE, "prepare/support_tickets.xlsx"))
    except ImportError:
        print("openpyxl missing: samples/prepare/support_tickets.xlsx not rewritten (use /usr/bin/python3)")
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=["prompt", "joke"], lineterminator="\n")
    w.writeheader()
    w.writerows(jokes())
    write("jokes/jokes.csv", buf.getvalue())


if __name__ == "__main__":
    main()
