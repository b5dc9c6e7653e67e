"""The conversation follows the person: a need carried across texts, places, plans.

A ``Guide`` serves one message, on top of the ``Finder`` (which shows
services). It reads a text with ``reading.py`` and decides, in this order:

1. only a place ("fruitvale", "94601" handled by ``zip_code``): the need
   before it runs there, or "What do you need near Fruitvale?";
2. release day with no need named ("just got out", "my brother gets out
   tomorrow"): the first-week plan, numbered;
3. a family member of someone inside, asking for family help: the family
   item the text names ("his books"), or the list of what families need;
4. several needs in one text: the best places for each of up to three; with
   more, the first need's places and "Text PLAN for the other needs" (a
   numbered choice); a long or overwhelmed text with three or more is offered
   a person first, then its first need;
5. anything else: one search, as before.

What it decided is kept in the thread (``thread.py``): the need, so a ZIP or
a place sent next runs it there, and the numbered choice, so a bare number or
PLAN reaches the rest.
"""

from __future__ import annotations

from bot.conversation import replies
from bot.conversation import thread_replies as words
from bot.conversation.finding import Finder
from bot.conversation.message import Intent, Option, Turn
from bot.conversation.reading import Reading, read_text, without_place
from bot.conversation.several import show_several
from bot.conversation.state import Awaiting
from bot.conversation.thread import FAMILY, RELEASE_SOON, RELEASED, Need
from bot.search.cues import Cues
from bot.search.plans import PlanItem, Plans

# A text that asks: a question mark, or one of these first ("can i bring my grandkids").
QUESTION_STARTS = frozenset(
    {
        *("can", "could", "how", "what", "when", "where", "who", "do", "does", "is", "are"),
        *("should", "will", "may", "puedo", "puede", "podemos", "pueden", "como", "que"),
        *("cuando", "donde", "quien", "hay", "se", "tengo", "debo"),
    }
)
PERSON_FIRST_NEEDS = 3  # a long or overwhelmed text with this many needs: a person first
COMBINED_MAX = 3  # up to this many needs are answered together in one reply


class Guide:
    """The flows of one message that carry a need, a place or a plan across texts."""

    def __init__(self, finder: Finder, cues: Cues, plans: Plans) -> None:
        self.finder = finder
        self.draft = finder.draft
        self.texter = finder.texter
        self.thread = finder.thread
        self.cues = cues
        self.plans = plans

    # What the texter sent -------------------------------------------------------

    def need(self, text: str) -> Turn:
        """A text that is not a command (the order is in this module's docstring)."""
        reading = read_text(text, self.finder.view.search.parser, self.cues, self.plans)
        self.thread.note(reading.context)
        self._take_place(reading)  # "need food and a bed, im in 94612": every answer there
        if reading.place_only:
            return self._place_alone(reading)
        if reading.wants_plan:
            return self.plan("release", family=reading.context.relative)
        topic = reading.topic
        again = topic and not topic.opens and FAMILY in self.thread.context
        if reading.family or (again and not reading.other_needs):
            return self._family(reading)  # a family member's later "how do i send money" too
        if len(reading.needs) > 1:
            return self.several(reading.needs, person_first=reading.long_or_distressed)
        return self._search(text, reading)

    def zip_code(self, zip_code: str) -> Turn:
        """A ZIP alone: the need before it runs there; with none, the menu there."""
        need = self.thread.need
        if need is None:
            return self.finder.zip_code(zip_code)
        if not self.finder.set_zip(zip_code):
            return self.draft.say(replies.unclear, Intent.UNCLEAR)
        return self.run(need)  # answered as the search it runs (counted, shown to navigators)

    def number(self, number: int) -> Turn:
        """A bare number: a need or a plan item from the list showing, else as before."""
        choice = self.thread.choice
        awaiting = self.texter.awaiting
        if choice is not None and awaiting in (Awaiting.NEEDS, Awaiting.PLAN):
            count = len(choice.needs) if awaiting == Awaiting.NEEDS else len(self._items(choice))
            if not 1 <= number <= count:
                return self.draft.say(lambda t: replies.bad_number(t, count), Intent.UNCLEAR)
            if awaiting == Awaiting.NEEDS:
                return self.one_need(choice, number - 1)
            return self.item(choice.plan, self._items(choice)[number - 1], choice.family)
        return self.finder.number(number)

    def plan_command(self) -> Turn:
        """PLAN: the numbered list shown last, or the first-week plan when there is none."""
        choice = self.thread.choice
        if choice is not None and choice.kind == "needs":
            return self.choose_need(choice)
        if choice is not None and choice.kind == "plan":
            return self.plan(choice.plan, family=choice.family)
        family = FAMILY in self.thread.context
        return self.plan("release", family=family)

    # Running a need (again) -------------------------------------------------------

    def run(self, need: Need) -> Turn:
        """A remembered need, at the texter's place now."""
        if need.kind == "category" and need.slug:
            return self.finder.category(need.slug)
        if need.kind == "needs" and need.needs:
            return self.several(need.needs, person_first=False)
        if need.kind == "plan":
            return self.plan(need.plan, family=need.family)
        if need.kind == "item":
            item = next((i for i in self._items(need) if i.key == need.key), None)
            if item is not None:
                return self.item(need.plan, item, need.family)
        return self._search(need.text, None, keep_to=need.slug)

    def plan(self, name: str, *, family: bool) -> Turn:
        """A numbered plan: the first week out (for the texter or a family member),
        or what families of someone inside need."""
        choice = Need("plan", plan=name, family=family)
        items = self._items(choice)
        if not items:  # no plans file: answer as a search would
            return self.finder.menu(self.finder.place_name())
        self.thread.choice = self.thread.need = choice
        self.texter.awaiting = Awaiting.PLAN
        t = self.draft.translator
        labels = [i.name(t.language) for i in items]
        text = (
            words.family_list(t, labels)
            if name == "family"
            else words.release_plan(t, labels, family)
        )
        self.draft.add(text, _numbers(len(labels)))
        return self.draft.done(Intent.PLAN)

    def item(self, plan: str, item: PlanItem, family: bool) -> Turn:
        """One item of a plan: its how-to note and the best places for it."""
        if item.opens == "release":
            return self.plan("release", family=True)
        self.thread.need = Need("item", plan=plan, key=item.key, family=family)
        t = self.draft.translator
        result = self.finder.search(item.search, category=item.category)
        self.texter.last_query = item.search
        self.texter.last_category = item.category
        return self.finder.show(
            result.hits,
            Intent.SEARCH,  # a search like any other: counted, and shown to navigators
            heading=self.finder.heading(len(result.hits), item.name(t.language)),
            lead=item.how_to(t.language),
            to_list=True,
        )

    def several(self, needs: tuple[tuple[str, str], ...], *, person_first: bool) -> Turn:
        """Several needs in one text: all of them answered, or a choice among them."""
        choice = Need("needs", needs=needs)
        self.thread.choice = self.thread.need = choice
        t = self.draft.translator
        person = person_first and len(needs) >= PERSON_FIRST_NEEDS
        if person or len(needs) > COMBINED_MAX:
            lead = words.person_first(t) if person else ""
            return self._one(needs[0], lead=lead, tail=words.also_asked(t, len(needs) - 1))
        if show_several(self.finder, needs):
            return self.draft.done(Intent.SEARCH)
        return self.choose_need(choice)

    def choose_need(self, choice: Need) -> Turn:
        """ "You asked about 1 Housing 2 Food": a bare number picks one."""
        self.thread.choice = choice
        self.texter.awaiting = Awaiting.NEEDS
        t = self.draft.translator
        labels = [self._category_name(s) for s, _ in choice.needs]
        self.draft.add(words.needs_choice(t, labels), _numbers(len(labels)))
        return self.draft.done(Intent.SEARCH)

    def one_need(self, choice: Need, index: int) -> Turn:
        """One need of several, picked by its number."""
        return self._one(choice.needs[index])

    # Inside the flows ---------------------------------------------------------

    def _one(self, need: tuple[str, str], *, lead: str = "", tail: str = "") -> Turn:
        """One need of several; the footer points to PLAN unless the tail already does."""
        slug, text = need
        result = self.finder.search(text, category=slug)
        self.texter.last_query = text
        self.texter.last_category = slug
        return self.finder.show(result.hits, Intent.SEARCH, lead=lead, tail=tail, to_list=not tail)

    def _search(self, text: str, reading: Reading | None, keep_to: str | None = None) -> Turn:
        """One need: a search, remembered so a ZIP or a place sent next runs it there.

        When the text also tells the texter's situation (a clause about parole
        or probation, a release, someone inside), the search keeps to the one
        need named ("check in at the parole office tmrw, need NA meetings" finds
        meetings; "my daughter gets out friday, where can she stay" finds places
        to stay, here and at a ZIP sent next, not family services). A text that asks for nothing
        ("happy birthday to my cousin", the search's chatter gate) gets what
        Homeward can help with, and the last results and need stay as they were.
        """
        if reading is not None and reading.needs and reading.beside_situation:
            keep_to = reading.needs[0][0]
        result = self.finder.search(text, category=keep_to)
        # nothing found, or only the learned reader's guess: a question about the item
        unread = not result.hits or result.reader_only
        asked = unread and not (result.place or result.zip_code) and _asks(text)
        if asked and (follow_up := self._item_follow_up()) is not None:
            return follow_up  # "can i bring my grandkids" after visits: about the item
        if result.chatter:  # asks for nothing: say what we do; the last results stay
            return self.draft.say(replies.can_help, Intent.CHATTER)
        if not result.hits and reading is not None and (result.place or result.zip_code):
            return self._place_alone(reading)  # "staying in fruitvale": a place, and no need
        parsed = reading.parsed if reading is not None else None
        carried = without_place(text, parsed) if parsed is not None else text
        self.thread.need = Need("search", text=carried, slug=keep_to)
        tail = ""
        if self.thread.context & {RELEASED, RELEASE_SOON} and not self.thread.plan_offered:
            self.thread.offer_plan()
            tail = words.offer_plan(self.draft.translator)
        self.texter.last_query = text
        found = keep_to or (result.categories[0] if result.categories else None)
        self.texter.last_category = found
        return self.finder.show(result.hits, Intent.SEARCH, tail=tail)

    def _item_follow_up(self) -> Turn | None:
        """A question the search finds nothing for (or only the reader guesses a need
        for), right after a family item (visits, calls, money on his books): the
        item's note again and a person for the rest, rather than "found nothing" or a
        guessed list. The item stays the need, so a ZIP still runs it."""
        need = self.thread.need
        if need is None or need.kind != "item" or not need.family:
            return None
        item = next((i for i in self._items(need) if i.key == need.key), None)
        if item is None:
            return None
        t = self.draft.translator
        note = item.how_to(t.language)
        self.draft.add(words.item_follow_up(t, note, item.name(t.language)))
        return self.draft.done(Intent.PLAN)

    def _take_place(self, reading: Reading) -> None:
        """A ZIP or a place anywhere in the text is where the texter is from now on."""
        parsed = reading.parsed
        if parsed.zip_code and parsed.point is not None:
            self.finder.set_place(parsed.point, parsed.zip_code, parsed.zip_code)
        elif parsed.place and parsed.point is not None:
            self.finder.set_place(parsed.point, parsed.place_name or parsed.place)

    def _place_alone(self, reading: Reading) -> Turn:
        """A place and nothing else: the need before it runs there, or the menu there."""
        need = self.thread.need
        if need is not None:
            return self.run(need)
        self.draft.turn.intent = Intent.ZIP
        return self.finder.menu(self.finder.place_name())

    def _family(self, reading: Reading) -> Turn:
        topic = reading.topic
        if (topic is None and reading.context.release) or (topic and topic.opens == "release"):
            return self.plan("release", family=True)
        if topic is not None:
            return self.item("family", topic, True)
        return self.plan("family", family=True)

    def _items(self, choice: Need) -> tuple[PlanItem, ...]:
        return self.plans.items(choice.plan, family=choice.family)

    def _category_name(self, slug: str) -> str:
        category = self.finder.view.directory.category(slug)
        return category.name(self.draft.translator.language) if category else slug


def _asks(text: str) -> bool:
    """Whether a text is a question: a question mark, or a question word first."""
    first = text.strip().lower().split(maxsplit=1)
    return "?" in text or (bool(first) and first[0].strip("¿") in QUESTION_STARTS)


def _numbers(count: int) -> tuple[Option, ...]:
    """A button per number of a list (Telegram shows them; SMS spells the list out)."""
    return tuple(Option(str(n), str(n)) for n in range(1, count + 1))
