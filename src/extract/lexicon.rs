//! Every word list extraction uses, in one place: titles and offices, organisation words,
//! abbreviations, days and months, prepositions, speech verbs and the fixed phrases built on them.
//!
//! Lists compare the folded form of a word (see [`crate::text`]: lower case, unaccented), with a
//! final full stop ignored, so `Gen.` and `gen` are one entry. A word that belongs to several
//! kinds is written once, in the list that says why, with all its kinds (a weekday is a time
//! word, a word that may stand between a speaker and the verb, and never part of a name); the
//! lists are compiled once into one map from word to kind bits, so a lookup costs one hash.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

/// FNV-1a: word lookups hash a few bytes each, many times per sentence, where SipHash's setup
/// costs more than the lookup (the lists are fixed, so flooding is no concern).
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A map from list words, hashed with FNV-1a.
type WordMap<V> = HashMap<&'static str, V, BuildHasherDefault<Fnv>>;

/// A kind of word (a bit set: a word may have several).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kind(u32);

impl Kind {
    /// Words of titles and offices that may precede a name (`President`, `Foreign Minister`).
    pub const TITLE: Kind = Kind(1 << 0);
    /// Nouns naming an office, the head of a role description (`the U.S. president`).
    pub const ROLE_HEAD: Kind = Kind(1 << 1);
    /// Words that may come between `the` and an office (`the former Florida governor`).
    pub const ROLE_QUALIFIER: Kind = Kind(1 << 2);
    /// Qualifiers that say nothing about who holds the office (`former`, `new`).
    pub const EMPTY_QUALIFIER: Kind = Kind(1 << 3);
    /// Words of organisations and places: a capitalised run containing one is not a person.
    pub const ORG: Kind = Kind(1 << 4);
    /// Capitalised function words that start sentences but never names.
    pub const STOPWORD: Kind = Kind(1 << 5);
    /// Particles inside names (`van`, `al`, `bin`).
    pub const PARTICLE: Kind = Kind(1 << 6);
    /// Prepositions: a mention right after one is not a subject (`talks with Hollande`).
    pub const PREPOSITION: Kind = Kind(1 << 7);
    /// Words that may stand between a speaker and a speech verb (`Putin also said`).
    pub const BEFORE_VERB: Kind = Kind(1 << 8);
    /// Words after which a following verb is not a speech verb with a subject (`the added`).
    pub const BLOCKS_VERB: Kind = Kind(1 << 9);
    /// Verbs that start a fixed cue phrase (`set out his case for`).
    pub const PHRASE_VERB: Kind = Kind(1 << 10);
    /// Words that start an adverbial rather than a reported clause after a speech verb.
    pub const ADVERBIAL: Kind = Kind(1 << 11);
    /// Time adverbs skipped after a cue (`yesterday`, `again`).
    pub const TIME: Kind = Kind(1 << 12);
    /// Names of days and months, abbreviated or not.
    pub const WEEKDAY_MONTH: Kind = Kind(1 << 13);
    /// Auxiliaries and other signs of a finite verb (`is`, `would`, `to`).
    pub const VERBISH: Kind = Kind(1 << 14);
    /// Words that open a noun phrase rather than a clause (`a`, `the`, `of`).
    pub const NP_OPENER: Kind = Kind(1 << 15);
    /// Abbreviations tokenized with their full stop (`Mr.`, `Gen.`, `St.`).
    pub const KEEPS_DOT: Kind = Kind(1 << 16);
    /// Abbreviations whose full stop does not end a sentence.
    pub const ABBREVIATION: Kind = Kind(1 << 17);
    /// Conjunctions and subordinators that bound a plain noun phrase on its left.
    pub const CLAUSE_LINK: Kind = Kind(1 << 18);
    /// Words that may follow an inverted speaker (`..., said Mr Smith on Tuesday`).
    pub const AFTER_INVERTED: Kind = Kind(1 << 19);
    /// Words a clause does not end on when a following cue cuts it (`A, but` / `A while`).
    pub const CLAUSE_TAIL: Kind = Kind(1 << 20);
    /// Nouns of time after `last`, `this`, `next` (`last week`).
    pub const TIME_NOUN: Kind = Kind(1 << 21);
    /// Offices a bare `the leader` may describe.
    pub const LEADER_OFFICE: Kind = Kind(1 << 22);
    /// Words that introduce an indirect question after `asked` (`whether`, `why`).
    pub const QUESTION: Kind = Kind(1 << 23);
    /// Honorifics stripped before an alias lookup (`Mr`, `Mrs`, `Ms`, `Dr`).
    pub const HONORIFIC: Kind = Kind(1 << 24);
    /// Verbs of saying and writing that make a gold attribution a statement (scoring only; kept
    /// apart from the cue grammar so the measure does not follow the extractor).
    pub const SPEECH: Kind = Kind(1 << 25);
    /// Places that speak for their governments or people (`Texas said`, `Moscow said`): never a
    /// new person, though some are also surnames (so not organisation words inside names).
    pub const PLACE: Kind = Kind(1 << 26);
    /// News outlets, agencies, pollsters and platforms (`Politico reported`), likewise.
    pub const MEDIA: Kind = Kind(1 << 27);
    /// First words of place names (`New Hampshire`, `El Paso`, `San Jose`).
    pub const PLACE_PREFIX: Kind = Kind(1 << 28);
    /// Plural nouns for groups of people, capitalised at a sentence's start (`Officials said`):
    /// never one new person.
    pub const GROUP: Kind = Kind(1 << 29);
}

const fn or(kinds: &[Kind]) -> u32 {
    let mut bits = 0;
    let mut i = 0;
    while i < kinds.len() {
        bits |= kinds[i].0;
        i += 1;
    }
    bits
}

/// Word lists and the kinds each list's words have.
const LISTS: &[(&str, u32)] = &[
    (
        // Title and office words (abbreviated titles are below).
        "president vice prime minister chancellor secretary deputy foreign defence defense \
         interior finance economy state sir dame lord lady senator representative governor \
         general colonel lieutenant captain major admiral king queen prince princess crown \
         sheikh emir ayatollah pope cardinal bishop rabbi imam judge justice mayor ambassador \
         envoy commander chief speaker leader chairman chairwoman director spokesman spokeswoman \
         spokesperson premier prosecutor attorney congressman congresswoman former acting labour \
         conservative republican democratic democrat opposition professor sergeant \
         president-elect sultan monarch head of the",
        or(&[Kind::TITLE]),
    ),
    (
        // Abbreviated titles: kept with their stop, never end a sentence.
        "mr mrs ms dr gen sen rep gov lt col capt prof sgt adm maj",
        or(&[Kind::TITLE, Kind::KEEPS_DOT, Kind::ABBREVIATION]),
    ),
    ("st rev", or(&[Kind::KEEPS_DOT, Kind::ABBREVIATION])),
    (
        "cmdr jr sr hon pres inc ltd co corp vs no nos mt ft ave approx fig vol gov't est dept",
        or(&[Kind::ABBREVIATION]),
    ),
    ("mr mr. mrs mrs. ms ms. dr dr.", or(&[Kind::HONORIFIC])),
    (
        "president minister chancellor leader premier secretary governor senator king queen \
         prince emir ayatollah spokesman spokeswoman spokesperson ambassador envoy general \
         commander chief head mayor prosecutor candidate congressman congresswoman chairman \
         chairwoman director pope monarch sultan president-elect",
        or(&[Kind::ROLE_HEAD]),
    ),
    (
        "former then new outgoing incoming late acting deputy vice top foreign defence defense \
         interior finance prime senior chief russian french",
        or(&[Kind::ROLE_QUALIFIER]),
    ),
    (
        "the of former then new outgoing incoming late acting top senior",
        or(&[Kind::EMPTY_QUALIFIER]),
    ),
    (
        "president prime chancellor leader king queen emir head minister",
        or(&[Kind::LEADER_OFFICE]),
    ),
    (
        // Words of organisations and places (days and months are below).
        "state states house ministry department office council union nations federation \
         republic kingdom party institute university academy agency committee commission army \
         forces force police court parliament congress senate assembly government \
         administration post times news press journal reuters group bank fund organization \
         organisation association foundation center centre front brigade brigades movement \
         coalition alliance square street avenue place palace hall airport sea ocean gulf \
         peninsula island islands east west north south middle islamic airlines airways company \
         corporation inc ltd club league guard navy command summit conference forum network tv \
         radio channel service services security intelligence city county province region river \
         mountains valley border church mosque cathedral hospital school college stadium museum \
         bridge tower station port base camp prison treaty accord agreement declaration war \
         crisis revolution facebook twitter watch rights amnesty jihad borders frontieres \
         crescent cross ministers leaders nato google federal national international european \
         united emirates daesh isis isil al-qaeda al-qaida hezbollah hamas taliban kremlin \
         pentagon",
        or(&[Kind::ORG]),
    ),
    (
        "monday tuesday wednesday thursday friday saturday sunday",
        or(&[Kind::WEEKDAY_MONTH, Kind::ORG, Kind::BEFORE_VERB, Kind::TIME]),
    ),
    (
        // Months that are not also given names.
        "january february september october november december",
        or(&[Kind::WEEKDAY_MONTH, Kind::ORG]),
    ),
    ("march april may june july august", or(&[Kind::WEEKDAY_MONTH])),
    (
        "jan feb mar apr jun jul aug sep sept oct nov dec",
        or(&[Kind::WEEKDAY_MONTH, Kind::ABBREVIATION]),
    ),
    (
        "the a an and but or both in on at as with when while after before meanwhile however \
         this that these those it he she we they i his her their our its if so then also even \
         still yet only just earlier later today yesterday for from by of to since during under \
         over between among against despite although though because where what who which why \
         how there here all some many most several every each no not according asked last next \
         first likewise moreover instead indeed thus nonetheless nevertheless speaking sitting \
         addressing citing unlike like dear mind read share watch one two three four five six \
         another now",
        or(&[Kind::STOPWORD]),
    ),
    (
        "von van der den de del della da di du la le bin ibn al el ter ten dos das abu bint",
        or(&[Kind::PARTICLE]),
    ),
    (
        "with by to of from for at in on about against after before between among than like \
         toward towards into over under without via alongside behind",
        or(&[Kind::PREPOSITION]),
    ),
    (
        // Days of the week are below-verb words too (listed above).
        "also today yesterday tonight notably repeatedly again then later earlier previously \
         reportedly once further firmly strongly publicly privately quickly immediately \
         separately recently never only just still has have had was were is would will did does \
         now frequently often openly flatly bluntly angrily calmly simply however even \
         subsequently finally personally himself herself themselves",
        or(&[Kind::BEFORE_VERB]),
    ),
    (
        "the a an his her their its our my your this these those to of in on at for with from \
         into about that which than not be been being no so any some every if whether what \
         widely newly self well much less more most might may can could should must shall it \
         they we i you there here as by without get got let make",
        or(&[Kind::BLOCKS_VERB]),
    ),
    (
        "set sets setting laid lays laying spelled spelt spells put puts putting made makes \
         making presented presents presenting outlined outlines outlining pressed presses \
         pressing reaffirmed reaffirms reaffirming reiterated reiterates reiterating restated \
         restates repeated repeats expressed expresses expressing voiced voices voicing stated \
         states offered offers offering pledged pledges pledging gave gives giving signalled \
         signaled signals declared announced threw throws lent lends",
        or(&[Kind::PHRASE_VERB]),
    ),
    (
        "in at on after during before from to with while following referring as when outside \
         inside ahead for by via through upon amid among under over near without and but or \
         then later afterwards alongside of about into beside behind since until just shortly \
         recently publicly privately repeatedly",
        or(&[Kind::ADVERBIAL]),
    ),
    (
        "today yesterday tonight earlier later again also now repeatedly once recently \
         previously separately bluntly flatly firmly publicly privately frankly openly",
        or(&[Kind::TIME]),
    ),
    (
        "week month year night weekend morning evening afternoon",
        or(&[Kind::TIME_NOUN]),
    ),
    (
        "is are was were be been being am has have had will would shall should can could may \
         might must do does did to it's that's there's",
        or(&[Kind::VERBISH]),
    ),
    (
        "a an the of for with about against on in at by from as into his her their its our my \
         this these those no any some every than like called dubbed termed what very most more \
         so too",
        or(&[Kind::NP_OPENER]),
    ),
    (
        "and but or that which when while as if because after before since although though \
         where so then",
        or(&[Kind::CLAUSE_LINK]),
    ),
    (
        "on in at during after before who told when while yesterday today last earlier later of \
         from as",
        or(&[Kind::AFTER_INVERTED]),
    ),
    (
        "and but while whereas as although though so yet with by or when because however what \
         in",
        or(&[Kind::CLAUSE_TAIL]),
    ),
    ("whether if why how what when", or(&[Kind::QUESTION])),
    (
        "alabama alaska arizona arkansas california colorado connecticut delaware florida georgia \
         hawaii idaho illinois indiana iowa kansas kentucky louisiana maine maryland \
         massachusetts michigan minnesota mississippi missouri montana nebraska nevada hampshire \
         jersey mexico york carolina dakota ohio oklahoma oregon pennsylvania rhode tennessee \
         texas utah vermont virginia washington wisconsin wyoming brazil cuba venezuela korea \
         vietnam nigeria kenya libya yemen somalia sudan ethiopia morocco algeria tunisia norway \
         denmark finland ireland scotland wales switzerland portugal hungary romania bulgaria \
         serbia croatia armenia azerbaijan kazakhstan indonesia malaysia philippines thailand \
         singapore bangladesh taiwan argentina chile colombia peru gaza kurdistan moscow beijing \
         tehran damascus paris london berlin brussels ankara riyadh cairo baghdad kabul kiev kyiv \
         tokyo seoul pyongyang havana ottawa canberra rome madrid geneva vienna doha beirut \
         jerusalem aleppo raqqa mosul tripoli chicago boston philadelphia atlanta houston dallas \
         miami denver seattle detroit cleveland baltimore vegas angeles francisco orleans \
         brooklyn manhattan westminster downing whitehall brussels strasbourg hampshire island \
         angeles paso jose antonio diego beach springs city",
        or(&[Kind::PLACE]),
    ),
    (
        "officials analysts experts critics aides advisers advisors supporters opponents sources \
         lawmakers legislators residents witnesses protesters observers economists voters \
         scientists researchers diplomats investigators prosecutors authorities activists \
         organizers organisers staffers strategists pollsters commentators others many some \
         several most both people americans residents parents students workers members \
         delegates donors insiders aides allies rivals insurgents rebels militants troops \
         police doctors teachers",
        or(&[Kind::GROUP]),
    ),
    (
        "new north south east west san santa los las el st saint fort port lake mount palm",
        or(&[Kind::PLACE_PREFIX]),
    ),
    (
        "cnn fox msnbc nbc abc cbs npr pbs bbc reuters ap afp bloomberg politico axios breitbart \
         huffpost guardian telegraph times post journal forbes twitter facebook instagram \
         youtube tass ria interfax xinhua aljazeera al-jazeera gallup quinnipiac rasmussen pew \
         marist ipsos yougov monmouth emerson wikileaks newsweek slate vox buzzfeed gop dnc rnc \
         democrats republicans conservatives liberals americans europeans tories",
        or(&[Kind::MEDIA]),
    ),
    (
        "say says said saying tell tells told telling add adds added adding write writes wrote \
         writing written tweet tweets tweeted tweeting post posts posted ask asks asked asking \
         note notes noted noting announce announces announced announcing declare declares \
         declared declaring state states stated stating explain explains explained explaining \
         argue argues argued arguing claim claims claimed claiming insist insists insisted \
         insisting stress stresses stressed stressing emphasize emphasizes emphasized \
         emphasizing emphasise emphasises emphasised emphasising warn warns warned warning \
         caution cautions cautioned cautioning urge urges urged urging suggest suggests \
         suggested suggesting acknowledge acknowledges acknowledged acknowledging admit admits \
         admitted admitting concede concedes conceded conceding deny denies denied denying \
         recall recalls recalled recalling respond responds responded responding reply replies \
         replied replying answer answers answered answering retort retorted counter counters \
         countered comment comments commented commenting remark remarks remarked repeat \
         repeats repeated repeating reiterate reiterates reiterated reiterating predict predicts \
         predicted predicting promise promises promised promising pledge pledges pledged \
         pledging vow vows vowed vowing swear swears swore sworn threaten threatens threatened \
         threatening assert asserts asserted asserting contend contends contended contending \
         maintain maintains maintained complain complains complained complaining lament \
         laments lamented confirm confirms confirmed confirming mention mentions mentioned \
         describe describes described describing call calls called calling accuse accuses \
         accused accusing criticize criticizes criticized criticizing criticise criticises \
         criticised criticising praise praises praised praising blame blames blamed blaming \
         quote quotes quoted quoting joke jokes joked joking quip quips quipped boast boasts \
         boasted testify testifies testified testifying speak speaks spoke spoken speaking \
         inform informs informed report reports reported reporting reveal reveals revealed \
         observe observes observed point points pointed pointing according",
        or(&[Kind::SPEECH]),
    ),
];

fn lexicon() -> &'static WordMap<u32> {
    static LEXICON: OnceLock<WordMap<u32>> = OnceLock::new();
    LEXICON.get_or_init(|| {
        let mut map: WordMap<u32> = WordMap::default();
        for &(words, kinds) in LISTS {
            for w in words.split_whitespace() {
                *map.entry(w).or_default() |= kinds;
            }
        }
        map
    })
}

/// Whether the folded `word` (a final full stop ignored) is of kind `kind`.
pub fn is(word: &str, kind: Kind) -> bool {
    lexicon()
        .get(word.trim_end_matches('.'))
        .is_some_and(|&k| k & kind.0 != 0)
}

/// The grammar of a speech cue: what may follow it and where its clause starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// `said`, `stressed`, `warned`: a that-clause, a clause without `that`, a quote or a colon.
    Say,
    /// Like `Say`, but only a that-clause, a quote or a colon (`maintained that`, `asked whether`).
    SayThat,
    /// `told` + listener + (`that` | quote | colon).
    Tell,
    /// `pointed to` + noun phrase, `pointed out (that)`.
    PointTo,
    /// `described` + object + `as` ...: the clause starts right after the verb.
    Describe,
    /// `promised`, `vowed`, `pledged` + (`to` | `that`).
    Intent,
    /// `accused`, `criticized`, `praised`, `called` + object ...: the clause (object and what is
    /// said of it) starts right after the verb.
    Object,
    /// `according to` + source.
    According,
    /// A fixed phrase ending in a link word (`set out his case ... for`, `reaffirmed ... view
    /// that`, `offered ... support for`): the clause starts after the link.
    Phrase,
}

/// Speech verbs: each form, its shape, and whether it is an `-ing` participle.
const CUE_VERBS: &[(&str, Shape, bool)] = &[
    (
        "said says say stated states added adds stressed stresses insisted insists argued argues \
         claimed claims declared declares announced announces reiterated reiterates emphasised \
         emphasized emphasises emphasizes noted notes explained explains asserted asserts \
         affirmed affirms reaffirmed reaffirms acknowledged acknowledges admitted admits denied \
         denies suggested suggests confirmed confirms contended contends predicted predicts \
         urged urges tweeted tweets wrote writes conceded concedes complained complains \
         cautioned cautions warned warns proclaimed alleged alleges demanded demands continued \
         charged",
        Shape::Say,
        false,
    ),
    (
        "saying stating adding stressing insisting arguing claiming declaring announcing \
         reiterating emphasising emphasizing noting explaining asserting reaffirming \
         acknowledging admitting denying suggesting confirming urging warning cautioning \
         predicting conceding complaining contending",
        Shape::Say,
        true,
    ),
    (
        "maintained maintains observed remarked recalled recalls responded responds answered \
         commented replied replies asked asks countered counters",
        Shape::SayThat,
        false,
    ),
    ("told tells", Shape::Tell, false),
    ("telling", Shape::Tell, true),
    ("pointed points", Shape::PointTo, false),
    ("pointing", Shape::PointTo, true),
    ("described describes", Shape::Describe, false),
    ("describing", Shape::Describe, true),
    (
        "promised promises vowed vows pledged pledges threatened threatens swore swears offered",
        Shape::Intent,
        false,
    ),
    ("promising vowing pledging threatening", Shape::Intent, true),
    (
        "accused accuses criticized criticised criticizes criticises praised praises blamed blames \
         called calls compared compares deplored deplores condemned condemns denounced denounces \
         hailed hails welcomed welcomes",
        Shape::Object,
        false,
    ),
    (
        "accusing criticizing criticising praising blaming calling comparing deploring condemning \
         denouncing hailing welcoming",
        Shape::Object,
        true,
    ),
    ("signalled signaled signals", Shape::SayThat, false),
];

/// How a speech verb behaves: its shape and whether it is a participle; `None` for other words.
pub fn cue_verb(word: &str) -> Option<(Shape, bool)> {
    static VERBS: OnceLock<WordMap<(Shape, bool)>> = OnceLock::new();
    VERBS
        .get_or_init(|| {
            let mut map = WordMap::default();
            for &(words, shape, participle) in CUE_VERBS {
                for w in words.split_whitespace() {
                    map.entry(w).or_insert((shape, participle));
                }
            }
            map
        })
        .get(word)
        .copied()
}

/// A fixed cue phrase: a verb, an optional particle, a noun within `before_noun` words, then a
/// link word within `after_noun` words (word lists are space-separated).
pub struct PhrasePattern {
    /// Verb forms that start the phrase.
    pub verbs: &'static str,
    /// A particle right after the verb (`out`, `forward`).
    pub particle: Option<&'static str>,
    /// The nouns the phrase is built on (`case`, `view`, `support`).
    pub nouns: &'static str,
    /// Words that end the phrase and start the clause (`for`, `that`).
    pub links: &'static str,
    /// Most words between the verb (or particle) and the noun.
    pub before_noun: usize,
    /// Most words between the noun and the link.
    pub after_noun: usize,
}

const CASE_NOUNS: &str = "case argument arguments idea proposal plan vision reasons view";
const CASE_LINKS: &str = "for to of that against";
const VIEW_NOUNS: &str = "view views position belief stance conviction opinion hope hopes \
    concern concerns fear fears determination commitment readiness willingness confidence wish \
    desire intention doubts regret";

/// The fixed cue phrases.
pub const PHRASES: &[PhrasePattern] = &[
    PhrasePattern {
        verbs: "set sets setting laid lays laying spelled spelt spells",
        particle: Some("out"),
        nouns: CASE_NOUNS,
        links: CASE_LINKS,
        before_noun: 3,
        after_noun: 6,
    },
    PhrasePattern {
        verbs: "put puts putting",
        particle: Some("forward"),
        nouns: CASE_NOUNS,
        links: CASE_LINKS,
        before_noun: 3,
        after_noun: 6,
    },
    PhrasePattern {
        verbs: "made makes making presented presents presenting outlined outlines outlining pressed presses pressing",
        particle: None,
        nouns: CASE_NOUNS,
        links: CASE_LINKS,
        before_noun: 3,
        after_noun: 6,
    },
    PhrasePattern {
        verbs: "made makes making",
        particle: None,
        nouns: "clear",
        links: "that",
        before_noun: 1,
        after_noun: 0,
    },
    PhrasePattern {
        verbs: "reaffirmed reaffirms reaffirming reiterated reiterates reiterating restated restates repeated repeats expressed expresses expressing voiced voices voicing stated states",
        particle: None,
        nouns: VIEW_NOUNS,
        links: "that for over about in at",
        before_noun: 4,
        after_noun: 3,
    },
    PhrasePattern {
        verbs: "offered offers offering voiced voices expressed expresses pledged pledges pledging gave gives giving signalled signaled signals reiterated reaffirmed declared announced threw throws lent lends",
        particle: None,
        nouns: "support backing opposition",
        links: "for to",
        before_noun: 3,
        after_noun: 2,
    },
];

/// The country key of a country or nationality word (`French` and `France` give `france`).
pub fn nationality_key(word: &str) -> Option<&'static str> {
    let key = match word.trim_end_matches('.') {
        "france" | "french" => "france",
        "russia" | "russian" | "russians" => "russia",
        "us" | "u.s" | "usa" | "u.s.a" | "america" | "american" | "americans" => "us",
        "britain" | "british" | "uk" | "u.k" | "england" | "english" => "uk",
        "germany" | "german" => "germany",
        "italy" | "italian" => "italy",
        "syria" | "syrian" => "syria",
        "turkey" | "turkish" | "turkiye" => "turkey",
        "iran" | "iranian" => "iran",
        "iraq" | "iraqi" => "iraq",
        "china" | "chinese" => "china",
        "ukraine" | "ukrainian" => "ukraine",
        "israel" | "israeli" => "israel",
        "egypt" | "egyptian" => "egypt",
        "saudi" | "arabia" => "saudi",
        "japan" | "japanese" => "japan",
        "india" | "indian" => "india",
        "spain" | "spanish" => "spain",
        "canada" | "canadian" => "canada",
        "australia" | "australian" => "australia",
        "belgium" | "belgian" => "belgium",
        "netherlands" | "dutch" => "netherlands",
        "poland" | "polish" => "poland",
        "jordan" | "jordanian" => "jordan",
        "lebanon" | "lebanese" => "lebanon",
        "qatar" | "qatari" => "qatar",
        "greece" | "greek" => "greece",
        "austria" | "austrian" => "austria",
        "sweden" | "swedish" => "sweden",
        "pakistan" | "pakistani" => "pakistan",
        "afghanistan" | "afghan" => "afghanistan",
        "palestine" | "palestinian" => "palestine",
        "european" | "europe" | "eu" | "e.u" => "eu",
        _ => return None,
    };
    Some(key)
}

/// Maps a descriptor word to the key it is compared by: countries and nationalities to one key
/// (so `French` matches `France`), `premier` to `prime`, dots removed (`U.S.` is `us`).
pub fn descriptor_key(word: &str) -> String {
    match nationality_key(word) {
        Some(key) => key.to_string(),
        None if word == "premier" => "prime".to_string(),
        None => word.replace('.', ""),
    }
}

/// A country or nationality word.
pub fn is_nationality(word: &str) -> bool {
    nationality_key(word).is_some()
}

/// Whether a descriptor key (see [`descriptor_key`]) is a country.
pub fn is_nationality_key(key: &str) -> bool {
    nationality_key(key) == Some(key)
}

/// A nationality adjective (`French`, `Jordanian`), not a country noun that may also be a
/// given name (`Jordan`, `Georgia`, `India`).
pub fn is_nationality_adjective(word: &str) -> bool {
    let w = word.trim_end_matches('.');
    match nationality_key(w) {
        Some(key) => {
            key != w
                && !matches!(
                    w,
                    "britain" | "america" | "europe" | "england" | "arabia" | "turkiye"
                )
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_word_many_kinds() {
        assert!(is("monday", Kind::ORG) && is("monday", Kind::TIME) && is("monday", Kind::BEFORE_VERB));
        assert!(is("gen.", Kind::TITLE) && is("gen", Kind::KEEPS_DOT) && is("gen", Kind::ABBREVIATION));
        assert!(is("may", Kind::WEEKDAY_MONTH) && !is("may", Kind::ORG));
        assert!(!is("st", Kind::TITLE) && is("st", Kind::KEEPS_DOT));
        assert!(!is("unknown", Kind::TITLE));
    }

    #[test]
    fn phrase_verbs_cover_every_phrase() {
        assert!(PHRASES
            .iter()
            .flat_map(|p| p.verbs.split_whitespace())
            .all(|w| is(w, Kind::PHRASE_VERB)));
    }

    #[test]
    fn cue_verbs() {
        assert_eq!(cue_verb("said"), Some((Shape::Say, false)));
        assert_eq!(cue_verb("telling"), Some((Shape::Tell, true)));
        assert_eq!(cue_verb("offered"), Some((Shape::Intent, false)));
        assert_eq!(cue_verb("house"), None);
    }
}
