//! Tables inside the tree: opening a table at its header line, taking back rows that PDF
//! extraction placed after a later article heading, and filling each table with the rows
//! [`crate::table`] recovers from its lines once the whole document has been read.

use super::*;

impl<'a> Builder<'a> {
    /// Moves table rows that extraction placed after an article heading back to the last
    /// table; returns how many lines were taken.
    pub(super) fn displaced_rows(&mut self, from: usize) -> usize {
        let (true, Some(wrap)) = (!self.tables.is_empty(), self.wrap_width) else {
            return 0;
        };
        let limit = wrap * 4 / 5;
        // (each class is kept for when its line is read: classifying the run twice took
        // 15M of the 100× benchmark document's 587M instructions, whose tables each follow
        // an earlier one)
        let lines: &'a [Line<'a>] = self.lines;
        let mut run = 0;
        for (j, l) in lines.iter().enumerate().skip(from) {
            let class = classify(&l.text);
            let text = matches!(class, Class::Text | Class::TableHeader);
            self.peeked.push_back((j, class));
            if !text {
                break;
            }
            run += 1;
        }
        if run < 2 {
            return 0;
        }
        let (rows, last) = (
            &self.lines[from..from + run - 1],
            &self.lines[from + run - 1],
        );
        if last.max_width() <= limit || rows.iter().any(|l| l.max_width() > limit) {
            return 0;
        }
        let article = self
            .stack
            .last()
            .and_then(|o| self.done[o.at].label.clone())
            .unwrap_or_default();
        let table = self.tables.last_mut().expect("checked non-empty");
        for i in from..from + run - 1 {
            table.lines.push(i);
            table.displaced.insert(i, article.clone());
        }
        run - 1
    }

    /// Recovers every table's rows from its lines and puts them into the table node.
    pub(super) fn assemble_tables(&mut self) {
        for t in std::mem::take(&mut self.tables) {
            let lines: Vec<&Line> = t.lines.iter().map(|&i| &self.lines[i]).collect();
            let cells = table::rows(&lines);
            // (sized once: growing it moved the 100× benchmark document's rows 3.7 MB)
            let mut rows = Vec::with_capacity(cells.len());
            for (n, r) in cells.into_iter().enumerate() {
                let first = lines[r.lines.start];
                let mut digits = itoa::Buffer::new();
                let base = [t.id.as_str(), "__row_", digits.format(n + 1)].concat();
                let id = self.unique(base, first.line);
                let mut row = Node::new(Kind::Row, id, first.line);
                row.end_line = r
                    .lines
                    .clone()
                    .map(|k| lines[k].end_line)
                    .max()
                    .unwrap_or(first.line);
                if let Some(article) = r.lines.clone().find_map(|k| t.displaced.get(&t.lines[k])) {
                    self.diags.push(Diagnostic::warning(
                        "row-moved",
                        first.line,
                        format!(
                            "table row `{}` stood after the heading of {article}; moved back to the end of table `{}`",
                            short(&r.cells[0]),
                            t.id
                        ),
                    ));
                }
                row.cells = r.cells;
                rows.push(row);
            }
            // (the 附則 follows the body: a table starting in it is searched there first)
            let body = &mut self.doc.body[..];
            let suppl = self
                .doc
                .supplementary
                .as_mut()
                .map_or(&mut [][..], |s| &mut s.entries);
            let in_suppl = suppl.first().is_some_and(|e| e.line <= t.line);
            let (first, second) = if in_suppl {
                (suppl, body)
            } else {
                (body, suppl)
            };
            let placed = put_rows(first, &t, rows).or_else(|rows| put_rows(second, &t, rows));
            // (every table was opened as a node of the body or the 附則)
            debug_assert!(placed.is_ok(), "table {} not found", t.id);
        }
    }

    pub(super) fn open_table(&mut self, line: &Line) {
        let parent = self
            .stack
            .last_mut()
            .expect("table_may_start checked a paragraph");
        parent.tables += 1;
        let (n, at) = (parent.tables, parent.at);
        let id = format!("{}__table_{n}", self.done[at].id);
        let id = self.unique(id, line.line);
        let mut node = Node::new(Kind::Table, id, line.line);
        node.num = Some(n.to_string());
        node.heading = Some(line.text.to_string());
        self.tables.push(TableLines {
            id: node.id.clone(),
            line: line.line,
            lines: Vec::new(),
            displaced: HashMap::default(),
        });
        self.open(node);
    }
}

/// Whether the text of a paragraph or item announces a table (`次の表の上欄に掲げる者は…`,
/// `…は、下表のとおりとする。`).
pub(super) fn announces_table(text: &str) -> bool {
    ["次の表", "下の表", "下表", "次表", "左の表", "次に掲げる表"]
        .iter()
        .any(|w| text.contains(w))
}

/// A grid row's cells: the line split at its ideographic spaces, except those inside
/// brackets (`粉じんの粒径（単位　マイクロメートル）`). Empty cells are dropped.
pub(super) fn grid_cells(text: &str) -> Vec<String> {
    let mut cells = Vec::new();
    let (mut depth, mut start) = (0u32, 0);
    for (i, c) in text.char_indices() {
        match c {
            '（' | '(' | '「' | '『' | '［' | '〔' => depth += 1,
            '）' | ')' | '」' | '』' | '］' | '〕' => depth = depth.saturating_sub(1),
            '\u{3000}' if depth == 0 => {
                cells.push(&text[start..i]);
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    cells.push(&text[start..]);
    cells
        .into_iter()
        .map(crate::normalize::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_string)
        .collect()
}

/// Whether a line under an appendix is one of its rows: all are, up to the next heading,
/// appendix or 附則 (a row may start like an article: `第二十七条　…　…`).
fn in_appendix(class: &Class) -> bool {
    !matches!(
        class,
        Class::Heading { .. } | Class::Appendix { .. } | Class::Suppl { .. }
    )
}

/// The number a grid row starts with (`一`, `１`, `（二）`), if any.
fn row_number(text: &str) -> Option<u32> {
    let first = text.split(['\u{3000}', ' ']).next()?;
    crate::normalize::number(first.trim_matches(['（', '）', '(', ')']))
}

/// The open grid table: one row per line, cells at ideographic spaces.
pub(super) struct Grid {
    /// the table is an appendix's (別表): every line up to the next heading is a row
    appendix: bool,
    rows: u32,
    /// the number the last numbered row started with
    last: Option<u32>,
    /// a reader marked the rows (a Markdown, HTML, XML or Word table): the first line
    /// it did not mark ends the table
    pub(super) marked: bool,
}

impl<'a> Builder<'a> {
    /// Whether `line` opens a grid table: the innermost open paragraph or item, which
    /// has no children yet, announces a table and the line has two cells or more.
    pub(super) fn grid_may_start(&self, line: &Line, class: &Class) -> bool {
        let Some(o) = self.stack.last() else {
            return false;
        };
        if o.kind == Kind::Appendix {
            return in_appendix(class);
        }
        let under = matches!(o.kind, Kind::Paragraph | Kind::Item | Kind::Subitem);
        let rowlike = matches!(
            class,
            Class::Text | Class::TableHeader | Class::Item { .. } | Class::Paragraph { .. }
        );
        under
            && rowlike
            && o.at + 1 == self.done.len()
            && self.done[o.at].text.as_deref().is_some_and(announces_table)
            && grid_cells(&line.text).len() >= 2
    }

    /// Whether a row a reader marked can open a table here: under a paragraph, item or
    /// appendix (closing a finished table first, and the entries of a list the row
    /// stands left of).
    pub(super) fn grid_may_open_here(&mut self, indent: u16) -> bool {
        // (a table left of a list's entries follows the list: it is the paragraph's)
        let shallower = |o: &Open| {
            o.kind == Kind::Table
                || (matches!(o.kind, Kind::Item | Kind::Subitem) && o.indent > indent)
        };
        while let Some(r) = self.stack.last().filter(|o| shallower(o)).map(Open::rank) {
            self.close_to(r);
        }
        self.stack.last().is_some_and(|o| {
            matches!(
                o.kind,
                Kind::Paragraph | Kind::Item | Kind::Subitem | Kind::Appendix
            )
        })
    }

    /// Opens a grid table under the innermost open node, ranked just below it (a table
    /// under an item must close before that item's sub-items); `line` is its first row,
    /// or its `heading`.
    pub(super) fn open_grid(&mut self, line: &Line, heading: bool) {
        let parent = self.stack.last_mut().expect("grid_may_start checked");
        parent.tables += 1;
        let (n, at, r) = (parent.tables, parent.at, parent.rank());
        let id = format!("{}__table_{n}", self.done[at].id);
        let id = self.unique(id, line.line);
        let mut node = Node::new(Kind::Table, id, line.line);
        node.num = Some(n.to_string());
        if heading {
            node.heading = Some(line.text.to_string());
        }
        let open = self.open(node);
        open.depth = (r + 1).saturating_sub(rank(Kind::Table));
        self.grid = Some(Grid {
            appendix: self.done[at].kind == Kind::Appendix,
            rows: 0,
            last: None,
            marked: line.row.is_some(),
        });
        if !heading {
            self.grid_row(line);
        }
    }

    /// Whether a line in an open grid table is one of its rows: text is; a numbered
    /// line is, unless it continues the numbering of an open paragraph or item level
    /// and not that of the rows; headings, captions and articles end the table.
    pub(super) fn is_grid_row(&self, class: &Class) -> bool {
        let grid = self.grid.as_ref().expect("a grid is open");
        if grid.appendix {
            return in_appendix(class);
        }
        let continues_rows = |n: Option<u32>| n.is_some() && n == grid.last.map(|l| l + 1);
        match class {
            Class::Text | Class::TableHeader | Class::Dated { .. } => true,
            Class::Paragraph { num, label, .. } => {
                let provision = self.provision_at();
                let next = provision.map(|p| self.next_paragraph(p));
                continues_rows(crate::normalize::number(label)) || next != Some(*num)
            }
            Class::Item { family, marker, .. } => {
                let value = super::items::value(*family, marker);
                let level = self.stack.iter().rev().find(|o| o.is(*family));
                let next = level.and_then(|o| {
                    let num = self.done[o.at].num.as_deref()?;
                    num.parse::<u32>().ok().map(|n| n + 1)
                });
                continues_rows(value) || level.is_none() || next != value
            }
            // a 読替表's row that names an article (`第二十七条　前条　第三条`) is a row:
            // the next article of the body numbers one higher (or branches off the last)
            Class::Article { num, .. } => !self.continues_articles(num),
            _ => false,
        }
    }

    /// Whether an article number continues the body's articles (or the 附則's).
    fn continues_articles(&self, num: &Num) -> bool {
        if self.in_suppl {
            return true;
        }
        match &self.last_article {
            Some((last, ..)) if num.branches.is_empty() => num.main == last.main + 1,
            Some((last, ..)) => num.main == last.main && num > last,
            None => true,
        }
    }

    /// Adds `line` as the next row of the open grid table.
    pub(super) fn grid_row(&mut self, line: &Line) {
        let table = self.stack.last().expect("a grid table is open").at;
        let grid = self.grid.as_mut().expect("a grid is open");
        grid.rows += 1;
        grid.last = row_number(&line.text).or(grid.last);
        let mut digits = itoa::Buffer::new();
        let base = [
            self.done[table].id.as_str(),
            "__row_",
            digits.format(grid.rows),
        ]
        .concat();
        let id = self.unique(base, line.line);
        let mut row = Node::new(Kind::Row, id, line.line);
        row.end_line = line.end_line;
        match &line.row {
            // (a reader's cells, with their spans: `[columns, rows]` each, when any
            // spans more than one)
            Some(cells) => {
                row.cells = cells.iter().map(|c| c.text.clone()).collect();
                if cells.iter().any(|c| c.colspan > 1 || c.rowspan > 1) {
                    row.spans = cells.iter().map(|c| [c.colspan, c.rowspan]).collect();
                }
            }
            None => row.cells = grid_cells(&line.text),
        }
        self.done[table].end_line = self.done[table].end_line.max(line.end_line);
        self.done.push(row);
    }

    /// Opens an appendix (別表) after everything before it, or (`附則別表`) in the open
    /// 附則 entry: its rows follow.
    pub(super) fn appendix(&mut self, line: &Line, num: Option<Num>, label: &str, title: &str) {
        self.grid = None;
        let entry = self.stack.iter().any(|o| o.kind == Kind::Supplement);
        if label.starts_with('附') && entry {
            // `附則別表第一`: an appendix of the open 附則 entry
            self.close_to(rank(Kind::Appendix));
        } else {
            self.close_to(0);
            self.in_suppl = false;
        }
        self.appendices += 1;
        let num = num.map_or_else(|| self.appendices.to_string(), |n| n.to_id());
        // (a form, `様式第一号`, numbers apart from the tables: `appdx_form_1`)
        let form = !label.contains("別表");
        let key = if form {
            format!("form_{num}")
        } else {
            num.clone()
        };
        let mut node = self.numbered(Kind::Appendix, key, line.line, line);
        node.num = Some(num);
        node.label = Some(label.to_string());
        node.title = (!title.is_empty()).then(|| title.to_string());
        node.heading = Some(line.text.to_string());
        self.open(node);
    }

    /// Closes the open grid table.
    pub(super) fn close_grid(&mut self) {
        self.grid = None;
        if let Some(r) = self
            .stack
            .last()
            .filter(|o| o.kind == Kind::Table)
            .map(Open::rank)
        {
            self.close_to(r);
        }
    }
}

/// Puts `rows` into `table`'s node below `nodes`, and extends the end line of the table
/// and of every node above it to the rows' last line; returns the table's new end line,
/// or the rows when the table is not below `nodes`.
///
/// Siblings are in the order of their start lines and a node starts before its
/// descendants, so the table lies below the last node that starts on or before its header
/// line, and only that node is searched: one descent, not a walk of the whole tree. (The
/// other nodes are searched after it, so a tree built otherwise loses no rows.)
fn put_rows(
    nodes: &mut [Node],
    table: &TableLines,
    mut rows: Vec<Node>,
) -> Result<usize, Vec<Node>> {
    let k = nodes.partition_point(|n| n.line <= table.line);
    for i in (0..k).rev().chain(k..nodes.len()) {
        let n = &mut nodes[i];
        let end = if n.kind == Kind::Table && n.id == table.id {
            let rows_end = rows.iter().map(|r| r.end_line).max();
            n.children = rows;
            rows_end.unwrap_or(0)
        } else {
            match put_rows(&mut n.children, table, rows) {
                Ok(end) => end,
                Err(back) => {
                    rows = back;
                    continue;
                }
            }
        };
        n.end_line = n.end_line.max(end);
        return Ok(n.end_line);
    }
    Err(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(kind: Kind, id: &str, line: usize, children: Vec<Node>) -> Node {
        let mut n = Node::new(kind, id.to_string(), line);
        n.children = children;
        n
    }

    fn table(id: &str, line: usize) -> TableLines {
        TableLines {
            id: id.to_string(),
            line,
            lines: Vec::new(),
            displaced: HashMap::default(),
        }
    }

    #[test]
    fn rows_go_into_their_table_and_extend_every_end_line_above_it() {
        let mut nodes = vec![
            node(Kind::Article, "art_1", 1, vec![]),
            node(
                Kind::Article,
                "art_2",
                3,
                vec![node(
                    Kind::Paragraph,
                    "art_2__para_1",
                    4,
                    vec![node(Kind::Table, "art_2__para_1__table_1", 5, vec![])],
                )],
            ),
            node(Kind::Article, "art_3", 9, vec![]),
        ];
        // a row displaced after the heading of 第3条 ends on line 11
        let mut rows = vec![
            node(Kind::Row, "r1", 6, vec![]),
            node(Kind::Row, "r2", 10, vec![]),
        ];
        rows[1].end_line = 11;
        let t = table("art_2__para_1__table_1", 5);
        assert_eq!(put_rows(&mut nodes, &t, rows), Ok(11));
        let (art, para) = (&nodes[1], &nodes[1].children[0]);
        assert_eq!((art.end_line, para.end_line), (11, 11));
        assert_eq!(para.children[0].children.len(), 2);
        assert_eq!((nodes[0].end_line, nodes[2].end_line), (1, 9));
    }

    #[test]
    fn a_table_off_the_descent_is_still_found() {
        // a child starting before its parent: the descent misses it, the search does not
        let mut nodes = vec![
            node(Kind::Article, "art_1", 1, vec![]),
            node(
                Kind::Article,
                "art_2",
                8,
                vec![node(Kind::Table, "t", 2, vec![])],
            ),
        ];
        let rows = vec![node(Kind::Row, "r1", 3, vec![])];
        assert_eq!(put_rows(&mut nodes, &table("t", 2), rows), Ok(8));
        assert_eq!(nodes[1].children[0].children.len(), 1);
        let missing = put_rows(&mut nodes, &table("u", 2), vec![]);
        assert_eq!(missing, Err(vec![]));
    }
}
