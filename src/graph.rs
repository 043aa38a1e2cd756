//! The reference graph: provisions as nodes, references as edges.
//!
//! In: a resolved [`Document`]. Out: a [`Graph`] at article or paragraph level, rendered
//! as JSON, Graphviz DOT (articles clustered by chapter, Japanese labels quoted) or
//! Mermaid (`flowchart LR`). References to laws become one node per law; references to
//! 個別規程 one node for that document; 本規程/この約款 and references from a provision to
//! itself draw no edge. At article level every article is a node; other nodes (附則
//! entries, paragraphs, laws) appear only with an edge. Edges between the same two nodes with the same relation are merged
//! and counted; 読み替え pairs stay on their `applies` edge.

use crate::refs::{Reading, RefKind, Relation};
use crate::tree::{Document, Kind, Node};
use serde::Serialize;
use std::collections::HashMap;

/// The granularity of the graph's nodes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Article,
    Paragraph,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GraphNode {
    pub id: String,
    pub label: String,
    /// `article`, `paragraph`, `supplement`, `law` or `other_document`
    pub kind: String,
    /// the chapter the node belongs to, for clustering
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GraphEdge {
    pub from: String,
    pub to: String,
    pub relation: Relation,
    pub count: usize,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub readings: Vec<Reading>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Graph {
    pub nodes: Vec<GraphNode>,
    pub edges: Vec<GraphEdge>,
    /// chapter id → chapter heading, for clusters
    #[serde(skip)]
    pub groups: Vec<(String, String)>,
}

impl Graph {
    /// The nodes of each chapter group, in order (one pass over the nodes: a scan per
    /// group was quadratic in the number of chapters).
    fn members(&self) -> HashMap<&str, Vec<&GraphNode>> {
        let mut out: HashMap<&str, Vec<&GraphNode>> = HashMap::new();
        for n in &self.nodes {
            if let Some(g) = &n.group {
                out.entry(g.as_str()).or_default().push(n);
            }
        }
        out
    }
}

/// The ID of the graph node that holds node `id` at `level`.
fn owner(id: &str, level: Level) -> String {
    let mut out = Vec::new();
    for seg in id.split("__") {
        out.push(seg);
        let done = match level {
            Level::Article => seg.starts_with("art_"),
            Level::Paragraph => seg.starts_with("para_"),
        };
        if done {
            break;
        }
        if seg.starts_with("para_") || seg.starts_with("item_") || seg.starts_with("table_") {
            break;
        }
    }
    // `suppl_3__para_1` at article level is the 附則 entry itself.
    if level == Level::Article && out.last().is_some_and(|s| s.starts_with("para_")) {
        out.pop();
    }
    out.join("__")
}

/// Builds the graph of a resolved document.
pub fn build(doc: &Document, level: Level) -> Graph {
    let mut g = Graph::default();
    let mut known: HashMap<String, usize> = HashMap::new();
    fn add(g: &mut Graph, known: &mut HashMap<String, usize>, node: GraphNode) {
        if !known.contains_key(&node.id) {
            known.insert(node.id.clone(), g.nodes.len());
            g.nodes.push(node);
        }
    }
    fn walk(
        g: &mut Graph,
        known: &mut HashMap<String, usize>,
        nodes: &[Node],
        group: Option<&str>,
        article: Option<&Node>,
        level: Level,
    ) {
        for n in nodes {
            let mut group = group;
            match n.kind {
                Kind::Chapter => {
                    g.groups
                        .push((n.id.clone(), n.heading.clone().unwrap_or_default()));
                    group = Some(&n.id);
                }
                Kind::Article => {
                    let label = match &n.title {
                        Some(t) => format!("{} {t}", n.label.as_deref().unwrap_or("")),
                        None => n.label.clone().unwrap_or_default(),
                    };
                    add(
                        g,
                        known,
                        GraphNode {
                            id: n.id.clone(),
                            label,
                            kind: "article".into(),
                            group: group.map(str::to_string),
                        },
                    );
                }
                Kind::Supplement => {
                    let label = format!("附則 {}", n.heading.as_deref().unwrap_or(""));
                    add(
                        g,
                        known,
                        GraphNode {
                            id: n.id.clone(),
                            label,
                            kind: "supplement".into(),
                            group: None,
                        },
                    );
                }
                Kind::Paragraph if level == Level::Paragraph => {
                    let prefix = article.and_then(|a| a.label.clone()).unwrap_or_default();
                    let label = format!("{prefix} 第{}項", n.num.as_deref().unwrap_or("?"))
                        .trim()
                        .to_string();
                    add(
                        g,
                        known,
                        GraphNode {
                            id: n.id.clone(),
                            label,
                            kind: "paragraph".into(),
                            group: group.map(str::to_string),
                        },
                    );
                }
                _ => {}
            }
            let article = if n.kind == Kind::Article {
                Some(n)
            } else {
                article
            };
            walk(g, known, &n.children, group, article, level);
        }
    }
    walk(&mut g, &mut known, &doc.body, None, None, level);
    if let Some(s) = &doc.supplementary {
        walk(&mut g, &mut known, &s.entries, None, None, level);
    }
    let mut edges: Vec<GraphEdge> = Vec::new();
    let mut edge_at: HashMap<(String, String, Relation), usize> = HashMap::new();
    for r in &doc.references {
        let from = owner(&r.from, level);
        let tos: Vec<String> = match r.kind {
            RefKind::Internal => r.targets.iter().map(|t| owner(t, level)).collect(),
            RefKind::External => {
                let Some(law) = &r.law else { continue };
                let id = format!("law:{}", law.name);
                add(
                    &mut g,
                    &mut known,
                    GraphNode {
                        id: id.clone(),
                        label: law.name.clone(),
                        kind: "law".into(),
                        group: None,
                    },
                );
                vec![id]
            }
            RefKind::OtherDocument => {
                let id = format!("doc:{}", r.text);
                add(
                    &mut g,
                    &mut known,
                    GraphNode {
                        id: id.clone(),
                        label: r.text.clone(),
                        kind: "other_document".into(),
                        group: None,
                    },
                );
                vec![id]
            }
        };
        for to in tos {
            if to == from || !known.contains_key(&to) || !known.contains_key(&from) {
                continue;
            }
            let k = (from.clone(), to.clone(), r.relation);
            match edge_at.get(&k) {
                Some(&e) => {
                    edges[e].count += 1;
                    edges[e].readings.extend(r.readings.iter().cloned());
                }
                None => {
                    edge_at.insert(k, edges.len());
                    edges.push(GraphEdge {
                        from: from.clone(),
                        to,
                        relation: r.relation,
                        count: 1,
                        readings: r.readings.clone(),
                    });
                }
            }
        }
    }
    g.edges = edges;
    // Articles stay (the structure reads better with them); other nodes only with edges.
    let linked: std::collections::HashSet<&str> = g
        .edges
        .iter()
        .flat_map(|e| [e.from.as_str(), e.to.as_str()])
        .collect();
    let keep: Vec<bool> = g
        .nodes
        .iter()
        .map(|n| n.kind == "article" && level == Level::Article || linked.contains(n.id.as_str()))
        .collect();
    let mut k = keep.iter();
    g.nodes.retain(|_| *k.next().expect("one flag per node"));
    g
}

fn dot_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn edge_label(e: &GraphEdge) -> String {
    let mut label = match e.relation {
        Relation::Applies => "準用".to_string(),
        Relation::Refers => String::new(),
    };
    if !e.readings.is_empty() {
        let pairs: Vec<String> = e
            .readings
            .iter()
            .map(|r| format!("{}→{}", r.from, r.to))
            .collect();
        label.push_str(&format!(" ({})", pairs.join(", ")));
    }
    if e.count > 1 {
        label.push_str(&format!(" ×{}", e.count));
    }
    label.trim().to_string()
}

/// Graphviz DOT.
pub fn to_dot(g: &Graph) -> String {
    let mut s = String::from("digraph yakkan {\n  graph [rankdir=LR, fontname=\"sans-serif\"];\n  node [shape=box, fontname=\"sans-serif\"];\n  edge [fontname=\"sans-serif\"];\n");
    let groups = g.members();
    for (gid, heading) in &g.groups {
        let Some(members) = groups.get(gid.as_str()) else {
            continue;
        };
        s.push_str(&format!(
            "  subgraph {} {{\n    label={};\n",
            dot_quote(&format!("cluster_{gid}")),
            dot_quote(heading)
        ));
        for n in members {
            s.push_str(&format!(
                "    {} [label={}];\n",
                dot_quote(&n.id),
                dot_quote(&n.label)
            ));
        }
        s.push_str("  }\n");
    }
    for n in g.nodes.iter().filter(|n| n.group.is_none()) {
        let shape = match n.kind.as_str() {
            "law" => ", shape=note",
            "other_document" => ", shape=folder",
            _ => "",
        };
        s.push_str(&format!(
            "  {} [label={}{shape}];\n",
            dot_quote(&n.id),
            dot_quote(&n.label)
        ));
    }
    for e in &g.edges {
        let style = if e.relation == Relation::Applies {
            ", style=bold"
        } else {
            ""
        };
        s.push_str(&format!(
            "  {} -> {} [label={}{style}];\n",
            dot_quote(&e.from),
            dot_quote(&e.to),
            dot_quote(&edge_label(e))
        ));
    }
    s.push_str("}\n");
    s
}

/// Document text as a quoted Mermaid label that Mermaid reads as text only: every
/// character Mermaid gives a meaning inside a label is written as its entity code
/// (`#35;` …), which Mermaid shows as the character. `#` itself (entity codes), `"`
/// (the quote), `%` (`%%{init: …}%%` directives, read anywhere in the diagram), `<`
/// `>` `&` (labels are HTML), backquote (Markdown strings) and `|` (edge labels); line
/// breaks become spaces.
fn mermaid_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '#' | '"' | '%' | '<' | '>' | '&' | '`' | '|' => {
                out.push_str(&format!("#{};", u32::from(c)))
            }
            '\n' | '\r' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Mermaid `flowchart LR`; node IDs are `n0`, `n1`, … (Mermaid IDs cannot hold every
/// character of ours), the original ID is kept in a comment.
pub fn to_mermaid(g: &Graph) -> String {
    let ids: HashMap<&str, String> = g
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), format!("n{i}")))
        .collect();
    let mut s = String::from("flowchart LR\n");
    let node_line =
        |n: &GraphNode| format!("{}[\"{}\"]", ids[n.id.as_str()], mermaid_text(&n.label));
    let groups = g.members();
    for (k, (gid, heading)) in g.groups.iter().enumerate() {
        let Some(members) = groups.get(gid.as_str()) else {
            continue;
        };
        s.push_str(&format!(
            "  %% {gid}\n  subgraph g{k}[\"{}\"]\n",
            mermaid_text(heading)
        ));
        for n in members {
            s.push_str(&format!("    {}\n", node_line(n)));
        }
        s.push_str("  end\n");
    }
    for n in g.nodes.iter().filter(|n| n.group.is_none()) {
        s.push_str(&format!("  {}\n", node_line(n)));
    }
    for e in &g.edges {
        let arrow = if e.relation == Relation::Applies {
            "==>"
        } else {
            "-->"
        };
        let label = edge_label(e);
        let label = if label.is_empty() {
            String::new()
        } else {
            format!("|\"{}\"|", mermaid_text(&label))
        };
        s.push_str(&format!(
            "  {} {arrow}{label} {}\n",
            ids[e.from.as_str()],
            ids[e.to.as_str()]
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mermaid_labels_hold_no_syntax_or_markup() {
        let label = "%%{init: {\"theme\":\"dark\"}}%% <img src=x onerror=alert(1)> #quot; `**b**` a|b &amp;";
        let out = mermaid_text(label);
        for bad in ["%%", "<", ">", "\"", "`", "|", "&", "#quot;"] {
            assert!(!out.contains(bad), "{bad} in {out}");
        }
        assert_eq!(mermaid_text("第1条（目的）\n次"), "第1条（目的） 次");
        let g = Graph {
            nodes: vec![GraphNode {
                id: "art_1".into(),
                label: label.into(),
                kind: "article".into(),
                group: Some("chp_1".into()),
            }],
            edges: vec![],
            groups: vec![("chp_1".into(), "%%{init: {}}%% <b>章</b>".into())],
        };
        let m = to_mermaid(&g);
        assert!(!m.contains("%%{") && !m.contains('<'), "{m}");
    }

    #[test]
    fn owners_at_each_level() {
        assert_eq!(owner("art_13__para_1__item_2", Level::Article), "art_13");
        assert_eq!(
            owner("art_13__para_1__item_2", Level::Paragraph),
            "art_13__para_1"
        );
        assert_eq!(owner("art_13", Level::Paragraph), "art_13");
        assert_eq!(owner("suppl_94__para_1", Level::Article), "suppl_94");
        assert_eq!(
            owner("suppl_3__art_1__para_2", Level::Article),
            "suppl_3__art_1"
        );
        assert_eq!(
            owner("suppl_3__para_2__item_1", Level::Paragraph),
            "suppl_3__para_2"
        );
    }
}
