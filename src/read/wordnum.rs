//! Word's automatic numbering: `numbering.xml` and the numbering paragraph styles carry,
//! evaluated paragraph by paragraph into the number Word displays.
//!
//! In: the `numbering.xml` and `styles.xml` parts, then each paragraph's `w:numPr` (or
//! its style's). Out: the marker as displayed (`第3条`, `（２）`, `三`) and what follows it
//! (a tab, a space or nothing: `w:suff`).
//!
//! The rules, as Word applies them: a `w:num` points at a `w:abstractNum`, whose
//! `w:lvl`s give `w:start`, `w:numFmt`, `w:lvlText` (`%1` … `%9` stand for the levels'
//! current numbers, each in its own level's format, or in decimal under `w:isLgl`),
//! `w:lvlRestart` and `w:suff`; a `w:lvlOverride` in the `w:num` replaces a level or
//! restarts it (`w:startOverride`). Lists that share an abstract numbering share their
//! counters (numbering continues across them) unless an override restarts them.
//! Numbering a level resets the deeper levels (unless their `w:lvlRestart` says
//! otherwise). A paragraph style may carry the numbering (`w:numPr` in the style, through
//! `w:basedOn`), and a level may name its style (`w:pStyle`), which gives the level of
//! a paragraph of that style. A bullet (`w:numFmt w:val="bullet"`) shows no number: the
//! marker is empty, as the other readers drop bullets.

use super::counter::Counter;
use super::xml::{Id, Tree};
use std::collections::{HashMap, HashSet};

/// One level of a list.
#[derive(Clone)]
struct Level {
    start: i64,
    format: Counter,
    bullet: bool,
    text: String,
    /// `w:lvlRestart`: restart after a level at most this (1-based); 0 never
    restart: Option<i64>,
    suffix: &'static str,
    legal: bool,
    style: Option<String>,
    indent: Option<i64>,
}

struct Num {
    abstract_id: String,
    /// per level: a replacement level and a start override
    overrides: HashMap<usize, (Option<Level>, Option<i64>)>,
}

/// A paragraph style's numbering and indent (after `w:basedOn`).
#[derive(Clone, Default)]
struct Style {
    based_on: Option<String>,
    num: Option<String>,
    level: Option<usize>,
    indent: Option<i64>,
}

/// The numbering definitions of a document and the counters as the paragraphs go.
#[derive(Default)]
pub struct Numbering {
    abstracts: HashMap<String, Vec<Level>>,
    nums: HashMap<String, Num>,
    styles: HashMap<String, Style>,
    default_style: Option<String>,
    counters: HashMap<String, [Option<i64>; 9]>,
    restarted: HashSet<(String, usize)>,
}

/// A number as displayed: the marker and the separator after it.
pub struct Marker {
    pub text: String,
    pub suffix: &'static str,
    /// the level's left indent, in twips
    pub indent: Option<i64>,
}

fn val<'t>(tree: &'t Tree, id: Id, child: &str) -> Option<&'t str> {
    tree.child(id, child)
        .and_then(|c| tree.nodes[c].attr("val"))
}

fn int(v: Option<&str>) -> Option<i64> {
    v.and_then(|v| v.trim().parse().ok())
}

fn indent(tree: &Tree, ppr: Option<Id>) -> Option<i64> {
    let ind = tree.child(ppr?, "ind")?;
    let node = &tree.nodes[ind];
    int(node.attr("left").or_else(|| node.attr("start")))
}

fn level(tree: &Tree, lvl: Id) -> (usize, Level) {
    let node = &tree.nodes[lvl];
    let ilvl = int(node.attr("ilvl")).unwrap_or(0).clamp(0, 8) as usize;
    let fmt = val(tree, lvl, "numFmt").unwrap_or("decimal");
    let level = Level {
        start: int(val(tree, lvl, "start")).unwrap_or(1),
        format: Counter::of_word(fmt),
        bullet: fmt == "bullet" || fmt == "none",
        text: val(tree, lvl, "lvlText").unwrap_or("").to_string(),
        restart: int(val(tree, lvl, "lvlRestart")),
        suffix: match val(tree, lvl, "suff") {
            Some("space") => " ",
            Some("nothing") => "",
            _ => "\t",
        },
        legal: tree
            .child(lvl, "isLgl")
            .is_some_and(|l| !matches!(tree.nodes[l].attr("val"), Some("0" | "false" | "off"))),
        style: val(tree, lvl, "pStyle").map(str::to_string),
        indent: indent(tree, tree.child(lvl, "pPr")),
    };
    (ilvl, level)
}

impl Numbering {
    /// Reads the `numbering.xml` and `styles.xml` parts (either may be missing).
    pub fn new(numbering: Option<&Tree>, styles: Option<&Tree>) -> Numbering {
        let mut n = Numbering::default();
        if let Some(tree) = numbering {
            n.read_numbering(tree);
        }
        if let Some(tree) = styles {
            n.read_styles(tree);
        }
        n
    }

    fn read_numbering(&mut self, tree: &Tree) {
        let Some(root) = tree.find(0, "numbering") else {
            return;
        };
        for a in tree.children(root, "abstractNum") {
            let Some(aid) = tree.nodes[a].attr("abstractNumId") else {
                continue;
            };
            let mut levels = vec![None; 9];
            for l in tree.children(a, "lvl") {
                let (i, level) = level(tree, l);
                levels[i] = Some(level);
            }
            let levels = levels
                .into_iter()
                .map(|l| {
                    l.unwrap_or(Level {
                        start: 1,
                        format: Counter::Decimal,
                        bullet: false,
                        text: String::new(),
                        restart: None,
                        suffix: "\t",
                        legal: false,
                        style: None,
                        indent: None,
                    })
                })
                .collect();
            self.abstracts.insert(aid.to_string(), levels);
        }
        for num in tree.children(root, "num") {
            let (Some(id), Some(aid)) = (
                tree.nodes[num].attr("numId"),
                val(tree, num, "abstractNumId"),
            ) else {
                continue;
            };
            let mut overrides = HashMap::new();
            for o in tree.children(num, "lvlOverride") {
                let i = int(tree.nodes[o].attr("ilvl")).unwrap_or(0).clamp(0, 8) as usize;
                let start = int(val(tree, o, "startOverride"));
                let replaced = tree.child(o, "lvl").map(|l| level(tree, l).1);
                overrides.insert(i, (replaced, start));
            }
            self.nums.insert(
                id.to_string(),
                Num {
                    abstract_id: aid.to_string(),
                    overrides,
                },
            );
        }
    }

    fn read_styles(&mut self, tree: &Tree) {
        let Some(root) = tree.find(0, "styles") else {
            return;
        };
        for s in tree.children(root, "style") {
            let node = &tree.nodes[s];
            if node.attr("type").is_some_and(|t| t != "paragraph") {
                continue;
            }
            let Some(id) = node.attr("styleId") else {
                continue;
            };
            if matches!(node.attr("default"), Some("1" | "true")) {
                self.default_style = Some(id.to_string());
            }
            let ppr = tree.child(s, "pPr");
            let numpr = ppr.and_then(|p| tree.child(p, "numPr"));
            let style = Style {
                based_on: val(tree, s, "basedOn").map(str::to_string),
                num: numpr
                    .and_then(|n| val(tree, n, "numId"))
                    .map(str::to_string),
                level: numpr
                    .and_then(|n| int(val(tree, n, "ilvl")))
                    .map(|l| l.clamp(0, 8) as usize),
                indent: indent(tree, ppr),
            };
            self.styles.insert(id.to_string(), style);
        }
    }

    /// A style's numbering and indent, through its `w:basedOn` chain.
    fn style(&self, id: &str) -> Style {
        let mut out = Style::default();
        let mut at = Some(id.to_string());
        let mut hops = 0;
        while let (Some(s), true) = (at.as_ref().and_then(|i| self.styles.get(i)), hops < 16) {
            out.num = out.num.or(s.num.clone());
            out.level = out.level.or(s.level);
            out.indent = out.indent.or(s.indent);
            at = s.based_on.clone();
            hops += 1;
        }
        out
    }

    /// The left indent of a paragraph of `style` without numbering, in twips.
    pub fn style_indent(&self, style: Option<&str>) -> Option<i64> {
        let style = style.or(self.default_style.as_deref())?;
        self.style(style).indent
    }

    /// The number of the next paragraph with numbering `num` at level `ilvl` (from its
    /// `w:numPr`, either possibly absent) and paragraph style `style`; `None` when it
    /// has no numbering. Advances the counters.
    pub fn next(
        &mut self,
        num: Option<&str>,
        ilvl: Option<usize>,
        style: Option<&str>,
    ) -> Option<Marker> {
        let style_id = style.or(self.default_style.as_deref()).map(str::to_string);
        let from_style = style_id
            .as_deref()
            .map(|s| self.style(s))
            .unwrap_or_default();
        let num_id = num.map(str::to_string).or(from_style.num)?;
        if num_id == "0" {
            return None;
        }
        let n = self.nums.get(&num_id)?;
        let aid = n.abstract_id.clone();
        let levels = self.abstracts.get(&aid)?;
        // the level: the paragraph's, its style's, the level that names its style, 0
        let ilvl = ilvl.or(from_style.level).or_else(|| {
            let s = style_id.as_deref()?;
            levels.iter().position(|l| l.style.as_deref() == Some(s))
        });
        let ilvl = ilvl.unwrap_or(0).min(8);
        let level_of = |i: usize| -> Level {
            match n.overrides.get(&i) {
                Some((Some(l), _)) => l.clone(),
                _ => levels[i].clone(),
            }
        };
        let this = level_of(ilvl);
        let all: Vec<Level> = (0..9).map(level_of).collect();
        let restart = n.overrides.get(&ilvl).and_then(|o| o.1);
        let counters = self.counters.entry(aid).or_insert([None; 9]);
        if let Some(start) = restart {
            if self.restarted.insert((num_id.clone(), ilvl)) {
                counters[ilvl] = Some(start - 1);
            }
        }
        counters[ilvl] = Some(counters[ilvl].map_or(this.start, |c| c + 1));
        for (d, deeper) in all.iter().enumerate().skip(ilvl + 1) {
            let resets = match deeper.restart {
                None => true,
                Some(0) => false,
                Some(r) => (ilvl as i64) < r,
            };
            if resets {
                counters[d] = None;
            }
        }
        if this.bullet {
            return Some(Marker {
                text: String::new(),
                suffix: "",
                indent: this.indent,
            });
        }
        let mut text = String::new();
        let mut chars = this.text.chars().peekable();
        while let Some(c) = chars.next() {
            match (c, chars.peek().and_then(|d| d.to_digit(10))) {
                ('%', Some(d @ 1..=9)) => {
                    chars.next();
                    let i = d as usize - 1;
                    let value = counters[i].unwrap_or(all[i].start);
                    let format = if this.legal {
                        Counter::Decimal
                    } else {
                        all[i].format
                    };
                    text.push_str(&format.format(value));
                }
                _ => text.push(c),
            }
        }
        Some(Marker {
            text,
            suffix: this.suffix,
            indent: this.indent,
        })
    }
}
