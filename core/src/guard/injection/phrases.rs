//! The multilingual phrase lexicon (verbs, scopes, objects, fillers) and the chain matcher
//! that turns lexicon hits in the normalised view into findings.

use super::normalize::Normalized;
use aho_corasick::{AhoCorasick, MatchKind};

/// Override verb: ignore, disregard, forget.
const VO: u32 = 1;
/// Strong leak verb: reveal, leak, dump.
const VL: u32 = 1 << 1;
/// Plain leak verb: print, show, repeat (needs a possessive or strong scope to count much).
const VN: u32 = 1 << 2;
/// Weak leak verb: "what is" (only with a possessive).
const VW: u32 = 1 << 3;
/// Persona verb: you are now, pretend to be, act as.
const VP: u32 = 1 << 4;
/// Strong scope: previous, prior, above.
const SS: u32 = 1 << 5;
/// Quantifier scope: all, any, every.
const SA: u32 = 1 << 6;
/// Weak scope: the, these.
const SW: u32 = 1 << 7;
/// Possessive: your, you were given.
const POSS: u32 = 1 << 8;
/// Filler: of, and, to, you.
const F: u32 = 1 << 9;
/// Instruction object: instructions, directives (override and leak).
const OI: u32 = 1 << 10;
/// Rule object: rules, restrictions, guardrails (override only).
const OR: u32 = 1 << 11;
/// Prompt object: system prompt (override and leak, strong).
const OP: u32 = 1 << 12;
/// Weak object: everything, the text (needs a strong scope and a tight phrase).
const OW: u32 = 1 << 13;
/// Jailbreak object: DAN, no restrictions, developer mode.
const OJ: u32 = 1 << 14;
/// Standalone jailbreak phrase: do anything now.
const JS: u32 = 1 << 15;
/// Weak standalone jailbreak word: jailbreak.
const JW: u32 = 1 << 16;
/// Negation before a verb: do not, never.
const NEG: u32 = 1 << 17;
/// "new instructions" (needs a colon after it or "your" before it).
const NEW: u32 = 1 << 18;

const VERBS: u32 = VO | VL | VN | VW | VP;
const SCOPES: u32 = SS | SA | SW | POSS | F;

/// Language codes, in bit order.
pub(crate) const LANGUAGES: [&str; 13] = ["en", "es", "fr", "de", "it", "pt", "nl", "ru", "zh", "ja", "ko", "ar", "hi"];

fn lang_bit(code: &str) -> u16 {
    LANGUAGES.iter().position(|&l| l == code).map_or(0, |i| 1 << i)
}

/// Languages whose verb may follow its object ("以前の指示を無視して", "Anweisungen ignorieren").
fn verb_final(langs: u16) -> bool {
    langs & (lang_bit("de") | lang_bit("nl") | lang_bit("zh") | lang_bit("ja") | lang_bit("ko") | lang_bit("hi")) != 0
}

/// The lexicon: `lang ROLE: entry, entry` per line; a trailing `*` makes an entry a stem
/// (it may continue into a longer word). Entries are normalised when compiled.
const LEXICON: &str = "
en VO: ignore, disregard, forget, override, bypass, skip, neglect, overlook, omit, discard, pay no attention to, do not follow, don't follow, dont follow, stop following, no longer follow, do not obey, don't obey, stop obeying, abandon, set aside, throw away, cancel
en VL: reveal, leak, dump, expose, disclose, divulge
en VN: print, show, show me, display, output, repeat, tell me, give me, share, write out, spell out, recite, list, provide, echo, reproduce
en VW: what is, what are, what was, what were, what's
en VP: you are now, you're now, from now on you are, from now on you will, you will now act as, act as, acting as, pretend to be, pretend you are, pretend you're, pretend that you, pretend you, roleplay as, role play as, behave as, behave like, imagine you are, simulate being, you are going to act as, you are going to pretend to be
en SS: previous, prior, above, earlier, preceding, foregoing, initial, original, system, before, so far, hidden, secret, internal, underlying, entire, full, verbatim, exact, aforementioned
en POSS: your, you were given, you have been given, you received, given to you
en SA: all, any, every, each
en SS: the above, all of the above
en SW: the, my, these, those, this, other, some, a, an
en F: of, and, to, you, me, that, have, has, been, are, were, was, is, so, just, please, now, in, out
en OI: instruction*, directive*, guideline*
en OR: rule*, command*, constraint*, restriction*, programming, guardrail*, policy, policies, safety, filters, limitation*, training, protocols, ethics
en OP: system prompt*, prompt*, system message*, pre-prompt, preprompt
en OW: everything, anything, text, words, the above, all of the above
en OJ: dan, do anything now, developer mode, dev mode, god mode, jailbroken, jailbreak*, unrestricted, unfiltered, uncensored, no restrictions, no rules, no limits, no limitations, no filters, no guidelines, no boundaries, no ethics, no ethical*, no moral*, no censorship, without restrictions, without any restrictions, without limits, without rules, without filters, without censorship, amoral
en JS: do anything now, dan mode, developer mode output, jailbreak mode, jailbroken mode
en JW: jailbreak*, jailbroken
en NEG: do not, don't, dont, never, not, no
en NEW: new instructions, new instruction, updated instructions, new rules, new directive*, revised instructions

es VO: ignora, ignore, ignorar, ignoren, olvida, olvide, olviden, olvidar, omite, omita, descarta, descarte, haz caso omiso de, no sigas, no hagas caso a, no hagas caso de, pasa por alto, anula
es SS: anteriores, anterior, previas, previos, precedentes, de arriba, arriba, iniciales, originales, del sistema, hasta ahora
es POSS: tus, tu, sus
es SA: todas, todos, toda, cualquier
es SW: las, los, la, el, estas
es F: de, que, te, se, han, dado, y, por favor
es OI: instruc*, indicaciones, directrices, pautas, órdenes
es OR: reglas, normas, restricciones, limitaciones
es OP: prompt del sistema, mensaje del sistema, prompt*
es OW: todo lo anterior, todo
es VL: revela, revele, muestra, muéstrame, imprime, dime, repite, escribe
es VP: ahora eres, a partir de ahora eres, actúa como, finge que eres, finge ser
es OJ: sin restricciones, sin límites, sin filtros, sin censura, modo desarrollador
es NEG: no, nunca
es NEW: nuevas instrucciones

fr VO: ignore, ignorez, ignorer, oublie, oubliez, oublier, ne tiens pas compte des, ne tenez pas compte des, ne tiens pas compte de, ne tenez pas compte de, fais abstraction de, faites abstraction de, néglige, négligez, outrepasse, contourne
fr SS: précédentes, précédents, précédente, antérieures, ci-dessus, initiales, originales, du système, système
fr POSS: tes, vos, ton, votre
fr SA: toutes, tous
fr SW: les, la, le, l, des, ces
fr F: de, d, qui, t, ont, été, données, et, te
fr OI: instruction*, consigne*, directive*, indications
fr OR: règle*, regle*, restrictions, contraintes, limites
fr OP: prompt système, message système, prompt*
fr OW: tout ce qui précède, tout
fr VL: révèle, révélez, affiche, affichez, montre, montre-moi, montrez, imprime, répète, répétez, dis-moi, donne-moi
fr VP: tu es maintenant, vous êtes maintenant, à partir de maintenant tu es, fais semblant d'être, fais comme si tu étais, agis comme, agissez comme, joue le rôle de
fr OJ: sans restrictions, sans limites, sans filtres, sans censure, mode développeur
fr NEG: ne, n, pas, jamais
fr NEW: nouvelles instructions

de VO: ignoriere, ignorieren, ignoriert, ignorier, vergiss, vergessen, vergesst, missachte, missachten, übergehe, überspringe, befolge nicht
de SS: vorherigen, vorigen, bisherigen, obigen, früheren, vorangegangenen, ursprünglichen, anfänglichen, oben, zuvor, system
de POSS: deine, deinen, ihre, dir gegebenen
de SA: alle, allen, jegliche, sämtliche
de SW: die, der, den, diese
de F: von, und, dir, bitte, zu
de OI: anweisung*, instruktion*, vorgabe*, richtlinie*, befehle
de OR: regeln, einschränkungen
de OP: systemprompt*, system prompt, systemnachricht, prompt*
de OW: alles
de VL: zeige, zeig, verrate, gib aus, drucke, wiederhole, nenne, sag mir
de VP: du bist jetzt, du bist ab jetzt, ab jetzt bist du, tu so als wärst du, tue so als wärst du, verhalte dich wie, agiere als, spiele die rolle
de OJ: ohne einschränkungen, ohne regeln, ohne filter, ohne zensur, entwicklermodus
de NEG: nicht, nie, kein
de NEW: neue anweisungen

it VO: ignora, ignorare, ignorate, ignori, dimentica, dimenticare, dimenticate, trascura, tralascia, non seguire, non rispettare
it SS: precedenti, sopra, iniziali, originali, del sistema, finora
it POSS: tue, tuoi, le tue, tuo, tua
it SA: tutte, tutti
it SW: le, gli, i, l, queste, il, lo, la
it F: di, che, ti, sono, state, date, e
it OI: istruzion*, indicazion*, direttiv*
it OR: regole, restrizioni, limitazioni
it OP: prompt di sistema, messaggio di sistema, prompt*
it OW: tutto quello, tutto ciò, tutto
it VL: rivela, mostra, mostrami, stampa, ripeti, dimmi
it VP: ora sei, adesso sei, da ora in poi sei, fingi di essere, fai finta di essere, comportati come, agisci come
it OJ: senza restrizioni, senza limiti, senza filtri, senza censura, modalità sviluppatore
it NEG: non, mai
it NEW: nuove istruzioni

pt VO: ignore, ignora, ignorar, ignorem, esqueça, esquece, esquecer, desconsidere, desconsidera, despreze, não siga, não obedeça
pt SS: anteriores, anterior, prévias, acima, iniciais, originais, do sistema, até agora
pt POSS: suas, seus, tuas
pt SA: todas, todos
pt SW: as, os, a, o, estas
pt F: de, que, te, lhe, foram, dadas, e, você
pt OI: instruç*, orientações, diretrizes
pt OR: regras, restrições, limitações
pt OP: prompt do sistema, mensagem do sistema, prompt*
pt OW: tudo acima, tudo
pt VL: revele, revela, mostre, mostra, imprima, repita, diga-me, me diga
pt VP: agora você é, a partir de agora você é, finja ser, finja que é, aja como, atue como
pt OJ: sem restrições, sem limites, sem filtros, sem censura, modo desenvolvedor
pt NEG: não, nunca
pt NEW: novas instruções

nl VO: negeer, negeren, vergeet, vergeten, sla over, houd geen rekening met, volg niet
nl SS: vorige, eerdere, voorgaande, bovenstaande, oorspronkelijke, systeem
nl POSS: je, jouw, uw
nl SA: alle, elke
nl SW: de, het, deze
nl F: van, en, die, zijn, gegeven
nl OI: instructie*, aanwijzing*, opdracht*, richtlijn*
nl OR: regels, beperkingen
nl OP: systeemprompt, prompt*
nl OW: alles
nl VL: toon, laat zien, onthul, print, herhaal, vertel me
nl VP: je bent nu, jij bent nu, vanaf nu ben je, doe alsof je, gedraag je als
nl OJ: zonder beperkingen, zonder regels, zonder filters, zonder censuur, ontwikkelaarsmodus
nl NEG: niet, nooit
nl NEW: nieuwe instructies

ru VO: игнорируй, игнорируйте, игнорировать, проигнорируй, проигнорируйте, забудь, забудьте, забыть, не обращай внимания на, не обращайте внимания на, отбрось, отмени, пропусти
ru SS: предыдущ*, прежн*, вышеуказанн*, вышеизложенн*, выше, изначальн*, исходн*, системн*
ru POSS: свои, твои, ваши
ru SA: все, всех, любые
ru F: и, на, которые, тебе, были, даны
ru OI: инструкци*, указани*, команд*, директив*
ru OR: правил*, ограничени*
ru OP: системный промпт, системное сообщение, промпт*
ru OW: все
ru VL: покажи, выведи, раскрой, повтори, напечатай, скажи
ru VP: теперь ты, ты теперь, притворись, представь что ты, веди себя как, действуй как
ru OJ: без ограничений, без правил, без фильтров, без цензуры, режим разработчика
ru NEG: не, никогда
ru NEW: новые инструкции

zh VO: 忽略, 忽视, 忽視, 无视, 無視, 忘记, 忘記, 忘掉, 不要遵守, 不要理会, 不要理會, 跳过, 跳過, 绕过, 繞過, 放弃, 丢弃
zh SS: 之前, 以前, 先前, 上面, 以上, 前面, 上述, 原来, 原有, 原始, 初始, 系统, 系統
zh POSS: 你的, 您的
zh SA: 所有, 全部
zh F: 的, 把, 都, 给你, 了, 请
zh OI: 指令, 指示, 说明, 說明, 命令, 设定, 設定
zh OR: 规则, 規則, 限制, 约束
zh OP: 提示词, 提示詞, 系统提示, 系統提示, 提示
zh OW: 一切, 上面的内容, 以上内容
zh VL: 显示, 顯示, 输出, 輸出, 告诉我, 告訴我, 打印, 重复, 泄露, 透露
zh VP: 你现在是, 你現在是, 从现在开始你是, 從現在開始你是, 假装你是, 假裝你是, 扮演
zh OJ: 没有任何限制, 没有限制, 不受限制, 不受任何限制, 无限制, 無限制, 开发者模式, 開發者模式
zh NEG: 不要, 别, 別, 不
zh NEW: 新的指令, 新指令

ja VO: 無視, 忘れ, 従わない, 従うな, 破棄
ja SS: 以前, これまで, 今まで, 前の, 上記, 上の, 最初, 元の, システム
ja POSS: あなたの
ja SA: すべて, 全て, 全部, 一切
ja F: の, を, は, に, して, し, ください, て, 与えられた, で
ja OI: 指示, 命令, 指令, 設定
ja OR: ルール, 規則, 制限, 制約
ja OP: システムプロンプト, プロンプト
ja VL: 表示, 出力, 教えて, 見せて, 繰り返, 開示
ja VP: あなたは今, 今からあなたは, これからあなたは, ふりをして, として振る舞, 演じて
ja OJ: 制限なし, 制限のない, 制限がない, 開発者モード
ja NEW: 新しい指示

ko VO: 무시, 잊어, 잊고, 잊으, 따르지 마
ko SS: 이전, 위의, 앞의, 지금까지, 기존, 원래, 시스템
ko POSS: 당신의, 너의
ko SA: 모든, 전부, 모두
ko F: 의, 을, 를, 은, 는, 하고, 하세요, 해, 해라, 하십시오, 에
ko OI: 지시, 명령, 지침
ko OR: 규칙, 제한
ko OP: 시스템 프롬프트, 프롬프트
ko VL: 보여, 출력, 알려, 공개, 반복
ko VP: 너는 이제, 당신은 이제, 지금부터 너는, 지금부터 당신은, 인 척, 척해
ko OJ: 제한 없는, 제한이 없는, 제한 없이, 개발자 모드
ko NEW: 새로운 지시

ar VO: تجاهل, تجاهلي, تجاهلوا, انس, انسى, انسي, تخطى, اهمل, لا تتبع
ar SS: السابقة, السابق, اعلاه, الاولى, الاصلية, النظام
ar SA: جميع, كل
ar F: التي, من, على
ar OI: التعليمات, تعليمات, الاوامر, اوامر, الارشادات, ارشادات, التوجيهات
ar OR: القواعد, قواعد, القيود
ar OP: موجه النظام, رسالة النظام
ar VL: اظهر, اكشف, اطبع, كرر, اعرض
ar VP: انت الان, تظاهر بانك, تصرف مثل
ar OJ: بدون قيود, بلا قيود, بدون حدود, وضع المطور
ar NEG: لا
ar NEW: تعليمات جديدة

hi VO: अनदेखा, नज़रअंदाज़, भूल जाओ, भूल जाएं, भूल जाइए, भूलो, उपेक्षा, मत मानो
hi SS: पिछले, पिछली, पिछला, पहले, ऊपर, पूर्व, मूल, सिस्टम
hi POSS: अपने, तुम्हारे, आपके
hi SA: सभी, सारे, सब, हर
hi F: को, के, की, का, गए, दिए, करें, करो, कर, दो, और
hi OI: निर्देश*, आदेश*, हिदायत*
hi OR: नियम*, प्रतिबंध*
hi OP: सिस्टम प्रॉम्प्ट, प्रॉम्प्ट*
hi VL: दिखाओ, दिखाएं, बताओ, बताएं, प्रकट, दोहराओ
hi VP: अब तुम, अब आप, होने का नाटक
hi OJ: बिना किसी प्रतिबंध, बिना प्रतिबंध, कोई प्रतिबंध नहीं, डेवलपर मोड
hi NEG: मत, नहीं
hi NEW: नए निर्देश
";

/// Words too common in prose to be the anchor of a phrase.
const COMMON: &[&str] = &[
    "without", "system", "mode", "free", "from", "new", "with", "sans", "sin", "sem", "senza", "ohne", "zonder", "без",
    "not", "bound", "all", "any", "the", "you", "are", "now", "what", "tell", "give", "show", "me",
];

fn role_bits(name: &str) -> u32 {
    match name {
        "VO" => VO,
        "VL" => VL,
        "VN" => VN,
        "VW" => VW,
        "VP" => VP,
        "SS" => SS,
        "SA" => SA,
        "SW" => SW,
        "POSS" => POSS,
        "F" => F,
        "OI" => OI,
        "OR" => OR,
        "OP" => OP,
        "OW" => OW,
        "OJ" => OJ,
        "JS" => JS,
        "JW" => JW,
        "NEG" => NEG,
        "NEW" => NEW,
        _ => 0,
    }
}

/// Whether `c` belongs to a script written without spaces between words (no word-boundary
/// checks for its entries).
fn unspaced(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xAC00..=0xD7AF | 0x1100..=0x11FF | 0x3130..=0x318F)
}

/// A letter of a spaced script (what a word boundary of a spaced entry must not touch).
fn is_word(c: char) -> bool {
    (c.is_alphanumeric() || matches!(c as u32, 0x0900..=0x0DFF)) && !unspaced(c)
}

#[derive(Debug, Clone)]
struct Entry {
    roles: u32,
    langs: u16,
    stem: bool,
    spaced: bool,
}

/// A raw-text anchor: a word whose presence makes a window worth normalising.
#[derive(Debug, Clone)]
pub(crate) struct Anchor {
    /// The literal (matched ASCII-case-insensitively on the raw text).
    pub text: String,
    /// Must not be followed by an ASCII letter or digit.
    pub exact: bool,
    /// 0: a verb (only matters near an object); 1: an object (needs a verb near it);
    /// 2: worth a look on its own (jailbreak words, "new instructions").
    pub level: u8,
}

/// The compiled lexicon.
#[derive(Debug)]
pub(crate) struct Lexicon {
    ac: AhoCorasick,
    entries: Vec<Entry>,
}

/// A phrase finding in raw offsets.
#[derive(Debug, Clone)]
pub(crate) struct PhraseHit {
    pub kind: &'static str,
    pub start: usize,
    pub end: usize,
    pub score: f64,
    pub evidence: String,
    pub language: Option<&'static str>,
    /// For an encoded payload: its encoding, decoded text and the kind found inside.
    pub encoded: Option<Box<(String, String, &'static str)>>,
}

fn normalized(text: &str) -> String {
    let mut out = Normalized::default();
    super::normalize::normalize(text, 0, text.len(), &mut out);
    out.text
}

impl Lexicon {
    /// Compiles the lexicon restricted to `langs` (a bit set), with the raw anchors.
    pub(crate) fn new(langs: u16) -> (Lexicon, Vec<Anchor>) {
        let mut texts: Vec<String> = Vec::new();
        let mut entries: Vec<Entry> = Vec::new();
        let mut anchors: Vec<Anchor> = Vec::new();
        let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        let mut anchor_index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        for line in LEXICON.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let (head, list) = line.split_once(':').expect("lexicon line");
            let (lang, role) = head.split_once(' ').expect("lexicon head");
            let bit = lang_bit(lang);
            if bit & langs == 0 {
                continue;
            }
            let roles = role_bits(role);
            for item in list.split(',').map(str::trim).filter(|i| !i.is_empty()) {
                let (written, stem) = match item.strip_suffix('*') {
                    Some(s) => (s, true),
                    None => (item, false),
                };
                let norm = normalized(written);
                if norm.is_empty() {
                    continue;
                }
                let spaced = !norm.chars().next().is_some_and(unspaced);
                match index.get(&norm).copied() {
                    Some(i) => {
                        entries[i].roles |= roles;
                        entries[i].langs |= bit;
                        entries[i].stem |= stem;
                    }
                    None => {
                        index.insert(norm.clone(), texts.len());
                        texts.push(norm.clone());
                        entries.push(Entry { roles, langs: bit, stem, spaced });
                    }
                }
                if roles & (OI | OR | OP | OW | OJ | JS | JW | NEW | VERBS) != 0 {
                    let level = if roles & (OJ | JS | JW | NEW) != 0 {
                        2
                    } else if roles & VERBS != 0 {
                        0
                    } else {
                        1
                    };
                    for form in [written.to_lowercase(), norm] {
                        let words: Vec<&str> = form.split([' ', '-', '\'']).filter(|w| !w.is_empty()).collect();
                        // The longest word that is not a common one (ties: the later word).
                        let Some((index, word)) = words
                            .iter()
                            .enumerate()
                            .max_by_key(|(_, w)| (!COMMON.contains(w), w.chars().count()))
                            .map(|(i, w)| (i, *w))
                        else {
                            continue;
                        };
                        let exact = spaced && (!stem || index + 1 < words.len());
                        let mut variants = vec![word.to_owned()];
                        if !word.is_ascii() {
                            variants.push(word.to_uppercase());
                            let mut chars = word.chars();
                            if let Some(first) = chars.next() {
                                variants.push(first.to_uppercase().chain(chars).collect());
                            }
                        }
                        for text in variants {
                            match anchor_index.get(&text).copied() {
                                Some(i) => {
                                    anchors[i].level = anchors[i].level.max(level);
                                    anchors[i].exact &= exact;
                                }
                                None => {
                                    anchor_index.insert(text.clone(), anchors.len());
                                    anchors.push(Anchor { text, exact, level });
                                }
                            }
                        }
                    }
                }
            }
        }
        let ac = AhoCorasick::builder()
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .match_kind(MatchKind::LeftmostLongest)
            .build(&texts)
            .expect("lexicon automaton");
        (Lexicon { ac, entries }, anchors)
    }

    /// Finds the phrases in a normalised window of `raw`.
    pub(crate) fn find(&self, norm: &Normalized, raw: &str, out: &mut Vec<PhraseHit>) {
        let text = norm.text.as_str();
        let mut hits: Vec<(usize, usize, usize)> = Vec::new();
        for m in self.ac.find_iter(text) {
            let entry = &self.entries[m.pattern().as_usize()];
            if entry.spaced {
                if text[..m.start()].chars().next_back().is_some_and(is_word) {
                    continue;
                }
                if !entry.stem && text[m.end()..].chars().next().is_some_and(is_word) {
                    continue;
                }
            }
            let end = if entry.stem && entry.spaced {
                // A stem covers the rest of its word.
                m.end() + text[m.end()..].find(|c: char| !is_word(c)).unwrap_or(text.len() - m.end())
            } else {
                m.end()
            };
            hits.push((m.start(), end, m.pattern().as_usize()));
        }
        if hits.is_empty() {
            return;
        }
        // Unknown words between each hit and the one before it; None breaks the chain.
        let gaps: Vec<Option<u8>> = (0..hits.len())
            .map(|i| if i == 0 { None } else { gap(&text[hits[i - 1].1.min(hits[i].0)..hits[i].0]) })
            .collect();
        let first_out = out.len();
        let mut a = 0;
        while a < hits.len() {
            let mut b = a + 1;
            while b < hits.len() && gaps[b].is_some() {
                b += 1;
            }
            self.chain(norm, raw, &hits, &gaps, a, b, out);
            a = b;
        }
        // Overlapping findings of one kind become one.
        let mut found: Vec<PhraseHit> = out.drain(first_out..).collect();
        found.sort_by(|x, y| x.start.cmp(&y.start).then(y.end.cmp(&x.end)));
        // The last finding of each kind (a handful of kinds): sorted by start, only it can overlap.
        let mut last_of: Vec<(&'static str, usize)> = Vec::new();
        for hit in found {
            let last = last_of.iter().find(|(kind, _)| *kind == hit.kind).map(|&(_, i)| i);
            if let Some(last) = last.map(|i| &mut out[i]).filter(|h| h.end > hit.start) {
                if hit.end > last.end {
                    last.end = hit.end;
                }
                if hit.score > last.score {
                    last.score = hit.score;
                    last.evidence = hit.evidence;
                    last.language = hit.language;
                }
                continue;
            }
            match last_of.iter_mut().find(|(kind, _)| *kind == hit.kind) {
                Some(slot) => slot.1 = out.len(),
                None => last_of.push((hit.kind, out.len())),
            }
            out.push(hit);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn chain(
        &self,
        norm: &Normalized,
        raw: &str,
        hits: &[(usize, usize, usize)],
        gaps: &[Option<u8>],
        a: usize,
        b: usize,
        out: &mut Vec<PhraseHit>,
    ) {
        let roles = |i: usize| self.entries[hits[i].2].roles;
        let unknown = |i: usize| gaps[i].unwrap_or(0);
        const REACH: usize = 8;
        const SPAN: usize = 120;
        // Objects up to here were taken by an earlier verb (no verb reaches back past them).
        let mut claimed = a;
        for k in a..b {
            let r = roles(k);
            if r & VERBS != 0 {
                if k > a && roles(k - 1) & NEG != 0 && unknown(k) == 0 {
                    continue;
                }
                let wanted = if r & VO != 0 {
                    OI | OR | OP | OW
                } else if r & (VL | VN | VW) != 0 {
                    OI | OP | OW
                } else {
                    OJ
                };
                // The nearest object after the verb (a strong one before a weak one), then
                // for verb-final languages the nearest one before it.
                let mut object = None;
                for m in k + 1..b.min(k + 1 + REACH) {
                    if hits[m].1 - hits[k].0 > SPAN || (roles(m) & VERBS != 0 && roles(m) & wanted == 0) {
                        break;
                    }
                    if roles(m) & wanted & !OW != 0 {
                        object = Some(m);
                        break;
                    }
                    if roles(m) & OW != 0 && object.is_none() {
                        object = Some(m);
                    }
                }
                if object.is_none() && verb_final(self.entries[hits[k].2].langs) {
                    for m in (claimed.max(k.saturating_sub(REACH))..k).rev() {
                        if hits[k].1 - hits[m].0 > SPAN || roles(m) & VERBS != 0 {
                            break;
                        }
                        if roles(m) & wanted & !OW != 0 {
                            object = Some(m);
                            break;
                        }
                    }
                }
                let Some(m) = object else { continue };
                if m > k {
                    claimed = claimed.max(m + 1);
                }
                let (mut lo, mut hi) = (k.min(m), k.max(m));
                // Scopes right after (or before) the object belong to it: "instrucciones anteriores".
                if m > k {
                    while hi + 1 < b && hi + 1 - m <= 3 && unknown(hi + 1) == 0 && roles(hi + 1) & (SCOPES | wanted) != 0 {
                        hi += 1;
                    }
                    while hi > m && roles(hi) & (SS | SA | POSS | (wanted & !OW)) == 0 {
                        hi -= 1;
                    }
                } else {
                    while lo > a && m - (lo - 1) <= 3 && unknown(lo) == 0 && roles(lo - 1) & SCOPES != 0 {
                        lo -= 1;
                    }
                    while lo < m && roles(lo) & (SS | SA | POSS) == 0 {
                        lo += 1;
                    }
                }
                let mut flags = 0;
                let mut unknowns = 0u32;
                for i in lo..=hi {
                    flags |= roles(i);
                    if i > lo {
                        unknowns += u32::from(unknown(i));
                    }
                }
                let object_roles = roles(m);
                let strong_scope = flags & (SS | POSS) != 0;
                let (kind, score) = if r & VO != 0 {
                    let score = if object_roles & (OI | OR | OP) == 0 {
                        if !strong_scope || unknowns > 0 {
                            continue;
                        }
                        0.7
                    } else {
                        0.45 + if strong_scope {
                            0.4
                        } else if flags & SA != 0 {
                            0.2
                        } else {
                            0.0
                        } + if strong_scope && flags & SA != 0 { 0.05 } else { 0.0 }
                            + if object_roles & OP != 0 { 0.1 } else { 0.0 }
                    };
                    ("INSTRUCTION_OVERRIDE", score)
                } else if r & VP != 0 {
                    ("ROLE_PLAY_JAILBREAK", 0.85)
                } else {
                    let score = if object_roles & (OI | OP) == 0 {
                        if !strong_scope || unknowns > 0 {
                            continue;
                        }
                        0.55
                    } else if r & VW != 0 {
                        if flags & POSS == 0 {
                            continue;
                        }
                        0.75
                    } else if r & VL != 0 {
                        0.55 + if strong_scope { 0.3 } else { 0.0 }
                    } else {
                        // print, show, output: scoped and tight, or with "your".
                        if !strong_scope || (unknowns > 0 && flags & POSS == 0) {
                            continue;
                        }
                        0.85
                    };
                    ("PROMPT_LEAK", score + if object_roles & OP != 0 { 0.1 } else { 0.0 })
                };
                let score = (score - 0.05 * f64::from(unknowns)).clamp(0.0, 0.99);
                out.push(self.hit(norm, raw, hits, lo, hi, m, kind, score));
            }
            if r & JS != 0 {
                out.push(self.hit(norm, raw, hits, k, k, k, "ROLE_PLAY_JAILBREAK", 0.8));
            } else if r & JW != 0 && r & OJ != 0 {
                out.push(self.hit(norm, raw, hits, k, k, k, "ROLE_PLAY_JAILBREAK", 0.35));
            }
            if r & NEW != 0 {
                let raw_end = norm.ends[hits[k].1 - 1] as usize;
                let colon = raw[raw_end..].trim_start_matches([' ', '\t', '*', '"']).starts_with([':', '：']);
                let yours = k > a && roles(k - 1) & POSS != 0 && unknown(k) == 0;
                if colon || yours {
                    let lo = if yours { k - 1 } else { k };
                    out.push(self.hit(norm, raw, hits, lo, k, k, "INSTRUCTION_OVERRIDE", if yours { 0.7 } else { 0.6 }));
                }
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn hit(
        &self,
        norm: &Normalized,
        raw: &str,
        hits: &[(usize, usize, usize)],
        lo: usize,
        hi: usize,
        object: usize,
        kind: &'static str,
        score: f64,
    ) -> PhraseHit {
        let _ = raw;
        let mut langs = u16::MAX;
        for hit in &hits[lo..=hi] {
            let entry = &self.entries[hit.2];
            if entry.roles & !(F | SW) != 0 && langs & entry.langs != 0 {
                langs &= entry.langs;
            }
        }
        if langs == u16::MAX {
            langs = self.entries[hits[object].2].langs;
        }
        // Fillers and articles break ties ("as" makes "todas as instruções" Portuguese).
        for hit in &hits[lo..=hi] {
            let entry = &self.entries[hit.2];
            if langs.count_ones() > 1 && langs & entry.langs != 0 {
                langs &= entry.langs;
            }
        }
        let language = (langs != 0).then(|| LANGUAGES[langs.trailing_zeros() as usize]);
        PhraseHit {
            kind,
            start: norm.starts[hits[lo].0] as usize,
            end: norm.ends[hits[hi].1 - 1] as usize,
            score: (score * 100.0).round() / 100.0,
            evidence: norm.text[hits[lo].0..hits[hi].1].to_owned(),
            language,
            encoded: None,
        }
    }
}

/// The number of unknown words in a gap between two hits, or None when the gap breaks the
/// phrase (a sentence break, two or more unknown words, or a long gap).
fn gap(text: &str) -> Option<u8> {
    if text.len() > 40 || text.contains('\n') {
        return None;
    }
    let mut count = 0u8;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let chars = word.chars().count();
        count += if word.chars().next().is_some_and(unspaced) && chars > 3 { 2 } else { 1 };
    }
    (count <= 1).then_some(count)
}
